package org.salistream.model.checkpoint;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.Map;
import java.util.SplittableRandom;
import org.salistream.model.nn.BatchNorm2dLayer;
import org.salistream.model.nn.Conv2dLayer;
import org.salistream.model.nn.LayerNormLayer;
import org.salistream.model.nn.LinearLayer;
import org.salistream.model.nn.ParameterPaths;
import org.salistream.model.sali.DcnV2Pack;
import org.salistream.model.sali.SaliNetwork;

/**
 * Initialises an untrained SALI network the way the published PyTorch model is initialised when it is
 * built, so that training from scratch (or from a pretrained encoder) starts where the published training
 * starts. DJL's default initialisers (Xavier) give untrained SALI activations that explode (logits ~1e4).
 *
 * <ul>
 *   <li>The PVTv2 encoder ({@code backbone.feat_net.pvtv2_en}): its own {@code _init_weights} (Wang et al.,
 *       PVTv2): Linear weights {@code trunc_normal_(std=.02)} (cut at +-2, timm's absolute bounds) and zero
 *       bias; LayerNorm weight 1, bias 0; Conv2d weights {@code normal(0, sqrt(2 / fan_out))} with
 *       {@code fan_out = kh * kw * out / groups}, zero bias.</li>
 *   <li>The DCNv2 packs ({@code ModulatedDeformConvPack.init_weights}): weight {@code U(-1/sqrt(n), 1/sqrt(n))}
 *       with {@code n = in * kh * kw}, zero bias; the offset/mask convolution {@code conv_offset} all zero
 *       (so alignment starts as a plain convolution with masks 0.5).</li>
 *   <li>The non-local blocks' output convolution {@code W} ({@code SAM}, {@code bn_layer=False}): all zero,
 *       as published, so each block starts as an identity plus the residual convolution.</li>
 *   <li>Every other Conv2d and Linear: PyTorch's default {@code reset_parameters}, weights
 *       {@code kaiming_uniform_(a=sqrt(5))}, i.e. {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))} with
 *       {@code fan_in = in / groups * kh * kw}, and biases {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))}.</li>
 *   <li>BatchNorm2d: weight 1, bias 0, running mean 0, running variance 1.</li>
 * </ul>
 *
 * <p>Each parameter draws from its own generator, seeded by the seed and the parameter's state dict name,
 * so the values do not depend on the order in which the network is walked. Used for untrained networks
 * ({@link SaliModelLoader#untrained}) and as the trainer's starting point; DJL's default initialisers
 * (Xavier everywhere) make the untrained network's activations explode (logits around 1e4).
 */
public final class TorchInitializer {

    /** State dict prefix of the PVTv2 encoder. */
    public static final String ENCODER = "backbone.feat_net.pvtv2_en";

    private static final double PVT_LINEAR_STD = 0.02;
    private static final double TRUNC_BOUND = 2.0;

    private TorchInitializer() {}

    /**
     * Overwrites every parameter of an initialised {@code network} in place.
     *
     * @throws IllegalStateException when the network has a layer type these rules do not know
     */
    public static void initialize(SaliNetwork network, long seed) {
        Map<String, Block> blocks = ParameterPaths.blocks(network, Block.class);
        blocks.forEach((path, block) -> {
            for (Pair<String, Parameter> p : block.getDirectParameters()) {
                String name = path.isEmpty() ? p.getKey() : path + "." + p.getKey();
                float[] values = values(path, block, p.getKey(), p.getValue(), rng(seed, name));
                p.getValue().getArray().set(values);
            }
        });
    }

    private static float[] values(String path, Block block, String param, Parameter p, SplittableRandom rng) {
        int n = (int) p.getShape().size();
        boolean encoder = path.equals(ENCODER) || path.startsWith(ENCODER + ".");
        boolean weight = param.equals("weight");
        if (block instanceof BatchNorm2dLayer) {
            return fill(n, param.equals("weight") || param.equals("running_var") ? 1f : 0f);
        }
        if (block instanceof LayerNormLayer) {
            return fill(n, weight ? 1f : 0f);
        }
        long[] w = weightShape(block); // (O, C/groups, kh, kw) or (out, in)
        if (block instanceof DcnV2Pack) {
            return weight ? uniform(n, 1.0 / Math.sqrt(w[1] * w[2] * w[3]), rng) : new float[n];
        }
        if (block instanceof Conv2dLayer conv) {
            if (path.endsWith(".conv_offset") || isNonLocalOutput(path)) {
                return new float[n];
            }
            long kernel = w[2] * w[3];
            if (encoder) {
                long groups = conv.inChannels() / w[1];
                double fanOut = (double) kernel * w[0] / groups;
                return weight ? normal(n, Math.sqrt(2.0 / fanOut), Double.POSITIVE_INFINITY, rng) : new float[n];
            }
            return uniform(n, 1.0 / Math.sqrt((double) w[1] * kernel), rng);
        }
        if (block instanceof LinearLayer) {
            if (encoder) {
                return weight ? normal(n, PVT_LINEAR_STD, TRUNC_BOUND, rng) : new float[n];
            }
            return uniform(n, 1.0 / Math.sqrt(w[1]), rng);
        }
        throw new IllegalStateException(
                "no initialisation rule for " + block.getClass().getSimpleName() + " parameter " + path + "." + param);
    }

    /** The shape of a layer's {@code weight}, from which PyTorch takes the fans of both weight and bias. */
    private static long[] weightShape(Block block) {
        Parameter w = block.getDirectParameters().get("weight");
        if (w == null) {
            throw new IllegalStateException(block.getClass().getSimpleName() + " has no weight parameter");
        }
        return w.getShape().getShape();
    }

    private static boolean isNonLocalOutput(String path) {
        return path.startsWith("nlnet.") && path.endsWith(".W");
    }

    private static SplittableRandom rng(long seed, String name) {
        long h = seed * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < name.length(); i++) {
            h = (h ^ name.charAt(i)) * 0x100000001B3L;
        }
        return new SplittableRandom(h);
    }

    private static float[] fill(int n, float v) {
        float[] out = new float[n];
        java.util.Arrays.fill(out, v);
        return out;
    }

    /** {@code U(-bound, bound)}. */
    static float[] uniform(int n, double bound, SplittableRandom rng) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        return out;
    }

    /** {@code N(0, std)}, redrawn outside {@code [-cut, cut]} (timm's {@code trunc_normal_} bounds). */
    static float[] normal(int n, double std, double cut, SplittableRandom rng) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double v;
            do {
                v = gaussian(rng) * std;
            } while (Math.abs(v) > cut);
            out[i] = (float) v;
        }
        return out;
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller on two uniforms in (0, 1].
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
