package org.salistream.model.testing;

/**
 * The measured float32 noise floors that the numeric tolerances of the test suite rest on, and the margin
 * taken over them. A tolerance below its floor passes on one machine and fails on the next: libtorch picks
 * other convolution kernels for other batch sizes, thread counts and CPUs (AVX2 or AVX-512, Intel or AMD),
 * and each reorders float32 sums.
 *
 * <p>How the model floors were measured: {@code ../shared/reference/official_noise.py} runs the published
 * SALI model (PyTorch CPU) on the golden clips {@code sali-b0-352} (7 frames) and {@code sali-b0-256-evict}
 * (10 frames) and compares its outputs with the golden float32 ones (written on another machine), either
 * in float64 or in float32 with every weight multiplied by {@code 1 + 1e-7 * N(0, 1)} (rounding-level
 * noise; seeds 0 to 3); a copy of it with forward hooks does the same for every stage tensor and the
 * memory bank. Measured on the 2-core AMD EPYC (Zen 4, AVX-512) build machine with libtorch at 1 and at 2
 * intra-op threads and, for the reference folder's README, on an Intel machine; the larger figure is kept.
 * Logits of the golden clips are of magnitude 1.3 at most.
 */
public final class NoiseFloor {

    /**
     * Float64 vs float32 logits of the published model, max over every frame of both golden clips:
     * 2.6e-5 ({@code sali-b0-352}) and 3.4e-5 ({@code sali-b0-256-evict}) on AMD EPYC, 4e-5 on Intel.
     * Mean per frame at most 1.2e-6.
     */
    public static final double LOGITS_F32 = 4e-5;

    /** Mean over a map of the float64 vs float32 logit differences, max over frames (1.18e-6 measured). */
    public static final double LOGITS_F32_MEAN = 1.2e-6;

    /**
     * Float32 logits with rounding-level weight perturbation, max over frames and seeds: 2.8e-5
     * ({@code sali-b0-352}) and 3.9e-5 ({@code sali-b0-256-evict}) on AMD EPYC; on the Intel machine a frame
     * whose memory read has a near-tie between the 20th and 21st affinity of the top-k moved by up to 1.2e-4.
     * This is the floor for two float32 computations of the same frame that differ only in summation order.
     */
    public static final double LOGITS_NEAR_TIE = 1.2e-4;

    /**
     * Every stage tensor of frames 0 and {@code mem_freq} (features, keys, values, readout outside near-ties,
     * alignment, fusion, decoder maps), max over tensors, frames, clips and runs: 1.8e-4 ({@code align_mem},
     * the PCD alignment of the memory readout, downstream of its near-ties); encoder features 2.4e-6.
     * Measured with a copy of {@code official_noise.py} that hooks the published modules.
     */
    public static final double STAGE = 1.8e-4;

    /** The mean over a stage tensor, max over tensors, frames and runs: 3.8e-6 ({@code align_mem}). */
    public static final double STAGE_MEAN = 3.8e-6;

    /**
     * The memory readout at query positions whose 20th and 21st affinity nearly tie: a different 20th entry
     * is kept, and the readout moves by its softmax weight: up to 1.05e-2 in the published model's own runs.
     */
    public static final double READOUT_NEAR_TIE = 1.05e-2;

    /**
     * Usage counts of the memory bank after a clip: one near-tied top-k entry swapped moves its weight (1/20
     * where the kept weights are near-uniform, as on the golden clips) from one entry to another; two such
     * swaps on one entry were seen: 0.1 max over the published model's own runs.
     */
    public static final double USAGE_NEAR_TIE = 0.1;

    /** The mean over a bank's usage counts of those swaps, max over runs: 4.1e-4. */
    public static final double USAGE_NEAR_TIE_MEAN = 4.1e-4;

    /**
     * Gradients of one training step (golden {@code sali-train}), relative to each parameter's largest
     * gradient. The train-mode memory read keeps the top 20 affinities, so where two nearly tie the gradient
     * jumps from one entry to the other: the published model's own gradients moved by up to 5.2e-6 with
     * weights perturbed at 1e-7 (no near-tie flipped in those runs) but by up to 8.6e-4 ({@code
     * membranch.Key0}, upstream of the read) at 1e-6, where one did; parameters only downstream of the read
     * (the decoder) moved by 1.5e-6. Measured with a training-step copy of {@code official_noise.py}
     * (PyTorch's {@code train_longshort} and the published structure loss, float64 and perturbed float32).
     */
    public static final double GRADIENT_NEAR_TIE = 8.6e-4;

    /**
     * Float32 rounding of one value: {@code 2^-24} relative (unit roundoff). Floors of single operations
     * (a bilinear sample, a convolution of a few hundred terms) are this times the number of terms summed.
     */
    public static final double F32_UNIT_ROUNDOFF = 0x1p-24;

    /**
     * Float64 rounding of one value: {@code 2^-53} relative. Pure-Java float64 references and libtorch in
     * float64 agree to this times the terms summed (1e-15 to 1e-13 seen on the ops' golden cases).
     */
    public static final double F64_UNIT_ROUNDOFF = 0x1p-53;

    /**
     * The margin every tolerance keeps over its floor: two computations each off by up to the floor differ
     * by up to twice it, and the measured floors come from a handful of clips, so twice that again.
     */
    public static final double MARGIN = 4;

    private NoiseFloor() {}

    /** The tolerance for two float32 computations of the same logits that differ in kernels: 4.8e-4. */
    public static double logits() {
        return MARGIN * LOGITS_NEAR_TIE;
    }

    /** The largest logit magnitude of the golden clips, which the logit floors were measured on. */
    public static final double GOLDEN_LOGIT_SCALE = 1.3;

    /**
     * {@link #logits()} scaled to a map whose largest value is {@code scale} (float32 noise is relative):
     * for untrained weights, whose logits can be far larger than the golden clips'.
     */
    public static double logitsRelative(double scale) {
        return logits() * Math.max(1, scale / GOLDEN_LOGIT_SCALE);
    }
}
