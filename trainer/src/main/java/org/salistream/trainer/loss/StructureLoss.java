package org.salistream.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;

/**
 * The structure loss SALI trains with ({@code structure_loss} of the published {@code train_video.py},
 * from F3Net, Wei et al., AAAI 2020): a boundary-weighted binary cross-entropy plus a boundary-weighted IoU,
 * with per-pixel weights {@code w = 1 + 5 |avgpool31(mask) - mask|} (a 31x31 average pool, stride 1, padding
 * 15, zero padding counted, PyTorch's default {@code count_include_pad=True}), so that pixels near an edge
 * of the mask count up to six times:
 *
 * <pre>
 *   wbce = sum(w * bce(pred, mask)) / sum(w)                          per image
 *   wiou = 1 - (sum(w sigmoid(pred) mask) + 1) / (sum(w (sigmoid(pred) + mask)) - sum(w sigmoid(pred) mask) + 1)
 *   loss = mean over the batch of (wbce + wiou)
 * </pre>
 *
 * <p>The published line passes {@code reduce='none'} (the legacy argument, not {@code reduction}) to
 * {@code binary_cross_entropy_with_logits}, which PyTorch reads as a truthy "reduce" and so averages the BCE
 * to a scalar before the weighting. The golden training step ({@code shared/golden/sali-train}) was made with
 * the per-pixel BCE that F3Net intends, and the loss here follows it (checked to 1e-5 relative).
 */
public final class StructureLoss {

    /** Side of the averaging window that finds the mask's boundary region. */
    public static final int WINDOW = 31;
    /** How much more a boundary pixel weighs at most (the published factor 5). */
    public static final float BOUNDARY_GAIN = 5f;

    private StructureLoss() {}

    /**
     * The structure loss of one prediction.
     *
     * @param pred logits (B, 1, H, W)
     * @param mask targets in [0, 1] (B, 1, H, W), no gradient needed
     * @return a scalar
     */
    public static NDArray of(NDArray pred, NDArray mask) {
        if (!pred.getShape().equals(mask.getShape()) || pred.getShape().dimension() != 4) {
            throw new IllegalArgumentException("structure loss needs prediction and mask of one (B, 1, H, W) shape,"
                    + " got " + pred.getShape() + " and " + mask.getShape());
        }
        NDArray weight = boundaryWeights(mask); // (B, 1, H, W)
        int[] hw = {2, 3};
        NDArray bce = bceWithLogits(pred, mask); // (B, 1, H, W)
        NDArray wbce = weight.mul(bce).sum(hw).div(weight.sum(hw)); // (B, 1)
        NDArray p = Activation.sigmoid(pred); // (B, 1, H, W)
        NDArray inter = p.mul(mask).mul(weight).sum(hw); // (B, 1)
        NDArray union = p.add(mask).mul(weight).sum(hw); // (B, 1)
        NDArray wiou = inter.add(1f).div(union.sub(inter).add(1f)).neg().add(1f); // (B, 1)
        return wbce.add(wiou).mean(); // ()
    }

    /**
     * The published training objective: the sum of the structure losses of SALI's four outputs
     * (S_g, S_5, S_4, S_3 predictions) against one mask.
     *
     * @param predictions four logit maps (B, 1, H, W)
     * @param mask (B, 1, H, W)
     * @return the total, then the four parts, each a scalar
     */
    public static NDList total(NDList predictions, NDArray mask) {
        NDList out = new NDList(predictions.size() + 1);
        NDArray sum = null;
        for (NDArray pred : predictions) {
            NDArray l = of(pred, mask);
            out.add(l);
            sum = sum == null ? l : sum.add(l);
        }
        if (sum == null) {
            throw new IllegalArgumentException("no prediction to score");
        }
        out.add(0, sum);
        return out;
    }

    /** {@code 1 + 5 |avg_pool2d(mask, 31, stride=1, padding=15) - mask|}, zero padding counted. */
    static NDArray boundaryWeights(NDArray mask) {
        int pad = WINDOW / 2;
        NDArray pooled = Pool.avgPool2d(
                mask, new Shape(WINDOW, WINDOW), new Shape(1, 1), new Shape(pad, pad), false, true); // (B, 1, H, W)
        return pooled.sub(mask).abs().mul(BOUNDARY_GAIN).add(1f); // (B, 1, H, W)
    }

    /**
     * Per-pixel {@code binary_cross_entropy_with_logits} in PyTorch's overflow-free form,
     * {@code max(x, 0) - x z + log(1 + exp(-|x|))}; its gradient is {@code sigmoid(x) - z}.
     *
     * <p>{@code max(x, 0)} is a ReLU, not {@code maximum(0f)}: DJL wraps a Number operand in a Java buffer
     * that autograd keeps for the backward pass and that the GC may free before it runs.
     */
    static NDArray bceWithLogits(NDArray x, NDArray z) {
        NDArray softTail = Activation.softPlus(x.abs().neg()); // log(1 + exp(-|x|))
        return Activation.relu(x).sub(x.mul(z)).add(softTail); // (B, 1, H, W)
    }
}
