package org.salistream.model.pvt;

import java.util.Arrays;
import java.util.Locale;

/**
 * The PVTv2 configurations {@code pvt_v2_b0} ... {@code pvt_v2_b5} (Wang et al., "PVT v2: Improved
 * Baselines with Pyramid Vision Transformer", CVMJ 2022), as registered in the published SALI code's
 * {@code lib/pvt_v2.py}: embed dims, heads, MLP ratios, depths and spatial-reduction ratios per stage;
 * all use qkv bias, LayerNorm eps 1e-6, patch size 7/3/3/3 with stride 4/2/2/2.
 *
 * @param name the published name, e.g. {@code pvt_v2_b5}
 * @param embedDims channels per stage
 * @param numHeads attention heads per stage
 * @param mlpRatios hidden/embed ratio of each stage's MLP
 * @param depths transformer blocks per stage
 * @param srRatios spatial-reduction ratio of the keys/values per stage
 */
public record PvtV2Config(String name, int[] embedDims, int[] numHeads, int[] mlpRatios, int[] depths, int[] srRatios) {

    /** LayerNorm epsilon used throughout PVTv2. */
    public static final float LAYER_NORM_EPS = 1e-6f;

    private static final int[] HEADS = {1, 2, 5, 8};
    private static final int[] SR = {8, 4, 2, 1};
    private static final int[] DIMS = {64, 128, 320, 512};

    /** pvt_v2_b0: dims 32/64/160/256, depths 2/2/2/2. */
    public static final PvtV2Config B0 = new PvtV2Config(
            "pvt_v2_b0", new int[] {32, 64, 160, 256}, HEADS, new int[] {8, 8, 4, 4}, new int[] {2, 2, 2, 2}, SR);
    /** pvt_v2_b1: depths 2/2/2/2. */
    public static final PvtV2Config B1 =
            new PvtV2Config("pvt_v2_b1", DIMS, HEADS, new int[] {8, 8, 4, 4}, new int[] {2, 2, 2, 2}, SR);
    /** pvt_v2_b2: depths 3/4/6/3. */
    public static final PvtV2Config B2 =
            new PvtV2Config("pvt_v2_b2", DIMS, HEADS, new int[] {8, 8, 4, 4}, new int[] {3, 4, 6, 3}, SR);
    /** pvt_v2_b3: depths 3/4/18/3. */
    public static final PvtV2Config B3 =
            new PvtV2Config("pvt_v2_b3", DIMS, HEADS, new int[] {8, 8, 4, 4}, new int[] {3, 4, 18, 3}, SR);
    /** pvt_v2_b4: depths 3/8/27/3. */
    public static final PvtV2Config B4 =
            new PvtV2Config("pvt_v2_b4", DIMS, HEADS, new int[] {8, 8, 4, 4}, new int[] {3, 8, 27, 3}, SR);
    /** pvt_v2_b5 (SALI's published encoder): MLP ratio 4 everywhere, depths 3/6/40/3. */
    public static final PvtV2Config B5 =
            new PvtV2Config("pvt_v2_b5", DIMS, HEADS, new int[] {4, 4, 4, 4}, new int[] {3, 6, 40, 3}, SR);

    private static final PvtV2Config[] ALL = {B0, B1, B2, B3, B4, B5};

    /** Defensive copies, so that the constants stay constant. */
    public PvtV2Config {
        embedDims = embedDims.clone();
        numHeads = numHeads.clone();
        mlpRatios = mlpRatios.clone();
        depths = depths.clone();
        srRatios = srRatios.clone();
    }

    /**
     * The configuration named {@code pvt_v2_b0} ... {@code pvt_v2_b5} (also accepts {@code b0} ... {@code b5}).
     *
     * @throws IllegalArgumentException naming the known configurations
     */
    public static PvtV2Config named(String name) {
        String n = name.toLowerCase(Locale.ROOT).trim();
        if (!n.startsWith("pvt_v2_")) {
            n = "pvt_v2_" + n;
        }
        for (PvtV2Config c : ALL) {
            if (c.name.equals(n)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown backbone '" + name
                + "' (known: pvt_v2_b0, pvt_v2_b1, pvt_v2_b2, pvt_v2_b3, pvt_v2_b4, pvt_v2_b5)");
    }

    /** Number of stages (always 4). */
    public int stages() {
        return embedDims.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PvtV2Config c
                && c.name.equals(name)
                && Arrays.equals(c.embedDims, embedDims)
                && Arrays.equals(c.depths, depths)
                && Arrays.equals(c.mlpRatios, mlpRatios);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
