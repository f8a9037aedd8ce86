package org.salistream.model.pvt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Stochastic depth ("drop path", Huang et al., ECCV 2016) as the published PVTv2 applies it through timm's
 * {@code DropPath}: in training, each sample's residual branch is dropped with probability p and kept
 * branches are scaled by 1 / (1 - p), {@code x.div(keep) * floor(keep + rand(B, 1, 1))}; at inference it is
 * the identity, and not even computed.
 *
 * <p>The draws come from a Java generator that the trainer reseeds at every step (from the run's seed and
 * the step number), not from libtorch's global generator: a run resumed from a checkpoint then draws
 * exactly what an uninterrupted run draws, and the draws do not depend on what else used libtorch's RNG.
 */
public final class StochasticDepth {

    private SplittableRandom rng = new SplittableRandom(0);

    /** Restarts the draws from {@code seed} (the trainer passes a mix of its seed and the step number). */
    public void reseed(long seed) {
        rng = new SplittableRandom(seed);
    }

    /**
     * The branch with whole samples dropped with probability {@code p} (training only).
     *
     * @param branch (B, N, C) residual branch output
     */
    NDArray apply(NDArray branch, double p) {
        long b = branch.getShape().get(0);
        float keep = (float) (1 - p);
        float[] mask = new float[(int) b];
        for (int i = 0; i < b; i++) {
            mask[i] = (float) Math.floor(keep + (float) rng.nextDouble()); // timm: floor(keep + U[0, 1))
        }
        // Both operands are arrays of the branch's manager, never Java scalars: DJL wraps a scalar operand in a
        // direct buffer that autograd keeps for the backward pass unreferenced, so a garbage collection before
        // backward would free it (see the trainer's GradientGcSafetyTest).
        NDArray k = branch.getManager().create(new float[] {keep}, new Shape(1, 1, 1)); // (1, 1, 1)
        NDArray m = branch.getManager().create(mask, new Shape(b, 1, 1)); // (B, 1, 1)
        return branch.div(k).mul(m); // (B, N, C)
    }

    /**
     * The published per-block rates: {@code torch.linspace(0, rate, sum(depths))} in float32, block j of
     * stage i taking entry {@code sum(depths[:i]) + j}.
     */
    static double[] rates(double rate, int blocks) {
        double[] out = new double[blocks];
        for (int i = 0; i < blocks; i++) {
            out[i] = blocks == 1 ? 0 : (float) (rate * i / (blocks - 1));
        }
        return out;
    }
}
