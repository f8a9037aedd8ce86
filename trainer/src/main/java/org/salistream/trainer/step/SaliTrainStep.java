package org.salistream.trainer.step;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import org.salistream.model.memory.MemoryReader;
import org.salistream.model.sali.SaliDecoder;
import org.salistream.model.sali.SaliNetwork;
import org.salistream.ops.Resample;

/**
 * The training-mode forward pass of SALI (Xu et al., "SALI: Short-term Alignment and Long-term Interaction
 * Network for Colonoscopy Video Polyp Segmentation", MICCAI 2024): the published
 * {@code VideoModel.train_longshort} on DJL, differentiable end to end by DJL's autograd.
 *
 * <p>A training sample is a triplet (memory frame, current frame, next frame) and the ground truth of the
 * memory frame. The three frames are encoded separately (in the published order current, neighbour,
 * memory: with batch statistics every call normalises its own batch); the memory frame's keys and values
 * become a one-frame memory whose values are weighted by its ground truth as the stream weights them by
 * the predicted mask, {@code v * (softmax(gt downsampled to the scale) + 1)}, with the ground truth resized by
 * {@code F.interpolate(scale_factor=1/8, 1/16, 1/32, mode='bilinear')}; the current frame reads it with
 * top-k attention (no usage counting in training); the readout and the neighbour are aligned to the
 * current frame (PCD), fused (non-local) and decoded. The four supervised outputs are returned, as the
 * published {@code out[:-1]}: S_g, S_5, S_4, S_3, each upsampled to the input size.
 */
public final class SaliTrainStep {

    private final SaliNetwork network;
    private final int topK;

    /**
     * A step over {@code network}.
     *
     * @param topK affinities kept per query position (the published {@code MemoryBank} default, 20)
     */
    public SaliTrainStep(SaliNetwork network, int topK) {
        if (topK <= 0) {
            throw new IllegalArgumentException("top-k must be positive, got " + topK);
        }
        this.network = network;
        this.topK = topK;
    }

    /** The network. */
    public SaliNetwork network() {
        return network;
    }

    /**
     * The forward pass.
     *
     * @param imgMem the memory frames, normalised (B, 3, S, S)
     * @param imgCur the current frames (B, 3, S, S)
     * @param imgNbr the neighbouring (next) frames (B, 3, S, S)
     * @param gtMem the memory frames' ground truth in [0, 1] (B, 1, S, S)
     * @param training training mode: BatchNorm layers that are not frozen use batch statistics (and
     *     update their running statistics), parameters are fetched for gradient
     * @return the predictions S_g, S_5, S_4, S_3 as logits (B, 1, S, S) each
     */
    public NDList forward(
            ParameterStore ps, NDArray imgMem, NDArray imgCur, NDArray imgNbr, NDArray gtMem, boolean training) {
        checkInputs(imgMem, imgCur, imgNbr, gtMem);
        NDList fmapCur = network.encode(ps, imgCur, training); // (B, 32, S/8..S/32)
        NDList fmapNbr = network.encode(ps, imgNbr, training);
        NDList fmapMem = network.encode(ps, imgMem, training);
        NDList kvQ = network.project(ps, fmapCur, training); // keys (B, 4, h, w) x3, values (B, 16, h, w) x3
        NDList kvM = network.project(ps, fmapMem, training);
        NDList readout = new NDList(3);
        for (int i = 0; i < 3; i++) {
            double scale = 1.0 / (8 << i);
            NDArray mask = Resample.bilinearScale(gtMem, scale, scale, false); // (B, 1, h, w)
            NDArray keyQ = kvQ.get(i); // (B, CK, h, w)
            NDArray valueQ = kvQ.get(3 + i); // (B, CV, h, w)
            NDArray keyM = kvM.get(i);
            long b = keyM.getShape().get(0);
            long ck = keyM.getShape().get(1);
            NDArray memKeys = keyM.reshape(b, ck, -1); // (B, CK, hw)
            NDArray memValues = MemoryReader.weightedValues(kvM.get(3 + i), mask); // (B, CV, hw)
            readout.add(
                    MemoryReader.read(keyQ, valueQ, memKeys, memValues, topK).get(0)); // (B, 2CV, h, w)
        }
        SaliNetwork.ShortTermOutputs out = network.alignAndDecode(ps, readout, fmapCur, fmapNbr, training);
        return SaliDecoder.predictions(out.maps()); // 4 x (B, 1, S, S)
    }

    private static void checkInputs(NDArray imgMem, NDArray imgCur, NDArray imgNbr, NDArray gtMem) {
        long[] s = imgCur.getShape().getShape();
        if (s.length != 4 || s[1] != 3 || s[2] != s[3] || s[2] % 32 != 0) {
            throw new IllegalArgumentException(
                    "frames must be (B, 3, S, S) with S a multiple of 32, got " + imgCur.getShape());
        }
        if (!imgMem.getShape().equals(imgCur.getShape()) || !imgNbr.getShape().equals(imgCur.getShape())) {
            throw new IllegalArgumentException("memory, current and neighbour frames differ in shape: "
                    + imgMem.getShape() + ", " + imgCur.getShape() + ", " + imgNbr.getShape());
        }
        long[] g = gtMem.getShape().getShape();
        if (g.length != 4 || g[0] != s[0] || g[1] != 1 || g[2] != s[2] || g[3] != s[3]) {
            throw new IllegalArgumentException("the memory ground truth must be (B, 1, S, S) = (" + s[0] + ", 1, "
                    + s[2] + ", " + s[3] + "), got " + gtMem.getShape());
        }
    }
}
