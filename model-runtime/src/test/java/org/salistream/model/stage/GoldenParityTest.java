package org.salistream.model.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.salistream.model.ModelConfig;
import org.salistream.model.NeighborMode;
import org.salistream.model.checkpoint.SaliModelLoader;
import org.salistream.model.image.FrameDecoder;
import org.salistream.model.image.FrameMask;
import org.salistream.model.image.Preprocessor;
import org.salistream.model.memory.MemoryState;
import org.salistream.model.memory.ScaleMemory;
import org.salistream.model.pvt.PvtV2Config;
import org.salistream.model.sali.SaliDecoder;
import org.salistream.model.testing.NoiseFloor;
import org.salistream.model.testing.Parity;
import org.salistream.model.testing.TopKConditioning;
import org.salistream.ops.io.NpyArray;
import org.salistream.ops.testing.Golden;

/**
 * The published SALI model's outputs on fixed weights and frames (golden {@code sali-b0-352} and
 * {@code sali-b0-256-evict}) against this port: the {@code .pth} weights loaded strictly, every stage
 * tensor of frames 0 and {@code mem_freq}, every frame's logits and normalised map, and the memory bank
 * after the clip.
 */
@Tag("float-parity")
class GoldenParityTest {

    /**
     * Affinity gap under which a top-k boundary counts as near-tied: this port's keys differ from the
     * published ones by up to 8.6e-6, which moves an affinity ((2 k.q - |k|^2) / 2 over 4 channels of
     * magnitude 0.8) by up to ~3e-5; 1e-4 keeps a margin of over 3 (a wider gap only excludes more positions
     * from the strict check, which {@link #READOUT_NEAR_TIE_MEAN} still bounds).
     */
    private static final double ILL_CONDITIONED_GAP = 1e-4;

    /**
     * The readout at near-tied positions: a different 20th entry moves it by that entry's softmax weight:
     * the published model's own runs moved it by up to 1.05e-2 ({@link NoiseFloor#READOUT_NEAR_TIE}); this
     * port, whose keys differ from the published ones more than rounding-level noise does, by 2.8e-2
     * (AMD EPYC, 1 and 2 threads). Bound: {@link NoiseFloor#MARGIN} times the published floor.
     */
    private static final double READOUT_NEAR_TIE = NoiseFloor.MARGIN * NoiseFloor.READOUT_NEAR_TIE;

    /**
     * The readout's mean over all positions, near-ties included: the published model's own runs 3.4e-6;
     * this port 1.0e-5, since it keeps a different 20th entry at more near-ties (its keys differ by 8.6e-6,
     * the published runs' by 7e-7). Bound 1e-4, 10x this port's measured mean; a wrong memory read (another
     * entry set, a missing softmax) moves the mean by far more.
     */
    private static final double READOUT_NEAR_TIE_MEAN = 1e-4;

    /**
     * The min-max normalised map moves as a whole with the frame's extreme logits: held to the max bound
     * and a mean of 1e-4. Floors: the published model's own map noise, max 9.2e-5 and mean 3.2e-6 (float64
     * and perturbed float32 runs, both clips); this port measured 1.1e-4 and 2.0e-5 (5x under the bound).
     */
    private static final double PROB_MEAN_TOL = 1e-4;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sali-b0-352", "sali-b0-256-evict"})
    void thePortReproducesThePublishedModelFrameByFrame(String folder) throws Exception {
        Path dir = Golden.require(folder);
        JsonNode cfg = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        ModelConfig config = ModelConfig.published()
                .withBackbone(PvtV2Config.named(cfg.get("backbone").asText()))
                .withSize(cfg.get("size").asInt())
                .withMemory(
                        cfg.get("mem_freq").asInt(),
                        cfg.get("mem_length").asInt(),
                        cfg.get("top_k").asInt())
                .withNeighbor(NeighborMode.NEXT);
        Map<String, NpyArray> stages = Golden.npz(folder + "/stages.npz");
        Map<String, NpyArray> expected = Golden.npz(folder + "/expected.npz");
        List<Path> frames = frames(dir.resolve("frames"));
        assertEquals(cfg.get("frames").asInt(), frames.size());
        int memFreq = config.memFreq();
        Preprocessor pre = new Preprocessor(config.size(), config.mean(), config.std());

        try (DjlSaliStages model = SaliModelLoader.open(dir.resolve("weights.pth"), config)) {
            List<float[]> inputs = new ArrayList<>();
            for (Path f : frames) {
                inputs.add(pre.apply(FrameDecoder.read(f)));
            }
            for (int probeFrame : new int[] {0, memFreq}) {
                Parity.assertClose(
                        "input_cur_" + probeFrame,
                        stages.get("input_cur_" + probeFrame),
                        inputs.get(probeFrame),
                        new long[] {1, 3, config.size(), config.size()});
            }
            List<FrameFeatures> features = new ArrayList<>();
            for (float[] in : inputs) {
                features.addAll(model.encodeNormalized(List.of(in)));
            }
            ShortTermWindow window = ShortTermWindow.start(NeighborMode.NEXT);
            MemoryState memory = MemoryState.empty();
            List<ShortTermWindow.Ready> ready = new ArrayList<>();
            for (int i = 0; i < features.size(); i++) {
                ShortTermWindow.Step step = window.accept(i, features.get(i));
                window = step.window();
                ready.addAll(step.ready());
            }
            ready.addAll(window.finish().ready());
            assertEquals(frames.size(), ready.size());
            double worst = 0;
            for (ShortTermWindow.Ready r : ready) {
                int i = (int) r.index();
                Map<String, float[][]> seen = new HashMap<>();
                Map<String, long[][]> shapes = new HashMap<>();
                StageProbe probe = (name, arrays) -> record(name, arrays, seen, shapes);
                SegmentRequest req = new SegmentRequest(
                        r.current(), r.neighbour(), memory, FramePolicy.forOrdinal(r.ordinal(), memFreq));
                SegmentResult out = model.segment(List.of(req), probe).get(0);
                memory = out.memory();
                int s = config.size();
                double[] d = Parity.assertClose(
                        "logits_" + i, expected.get("logits_" + i), out.logits(), new long[] {1, 1, s, s});
                worst = Math.max(worst, d[0]);
                float[] prob = FrameMask.fromLogits(out.logits(), s, s, s).normalized();
                Parity.assertClose(
                        "prob_" + i, expected.get("prob_" + i).toFloatArray(), prob, Parity.MAX_TOL, PROB_MEAN_TOL);
                if (i == 0 || i == memFreq) {
                    for (int k = 0; k < 3; k++) {
                        assertReadout(stages, i, k, config.topK(), seen.get("readout")[k], shapes.get("readout")[k]);
                    }
                    for (String name :
                            List.of("fmap_cur", "fmap_nbr", "keyQ", "valueQ", "align_mem", "align_nbr", "fused", "S")) {
                        for (int k = 0; k < 3; k++) {
                            String key = name + "_" + i + "_s" + k;
                            Parity.assertClose(key, stages.get(key), seen.get(name)[k], shapes.get(name)[k]);
                        }
                    }
                    assertDecoderOutputs(i, expected, seen.get("maps"), shapes.get("maps"));
                }
            }
            assertMemory(stages, memory);
            System.out.printf("%s: %d frames, worst logit |diff| %.3g%n", folder, frames.size(), worst);
        }
    }

    /**
     * The memory readout, held to the golden tolerance at every query position where the top-k selection
     * is well-conditioned (see {@link TopKConditioning}), and to the mean tolerance overall. Frame 0 reads
     * its own keys; the {@code mem_freq} frame reads a memory holding frame 0 only.
     */
    private static void assertReadout(
            Map<String, NpyArray> stages, int i, int k, int topK, float[] actual, long[] shape) {
        String key = "readout_" + i + "_s" + k;
        NpyArray exp = stages.get(key);
        org.junit.jupiter.api.Assertions.assertArrayEquals(exp.shape(), shape, key + ": shape");
        float[] memKeys = stages.get("keyQ_0_s" + k).toFloatArray();
        float[] queryKeys = stages.get("keyQ_" + i + "_s" + k).toFloatArray();
        int q = (int) (shape[2] * shape[3]);
        boolean[] ill = TopKConditioning.illConditioned(memKeys, q, queryKeys, q, 4, topK, ILL_CONDITIONED_GAP);
        float[] e = exp.toFloatArray();
        double maxWell = 0;
        double maxIll = 0;
        double sumWell = 0;
        double sum = 0;
        for (int j = 0; j < e.length; j++) {
            double d = Math.abs(e[j] - actual[j]);
            sum += d;
            if (ill[j % q]) {
                maxIll = Math.max(maxIll, d);
            } else {
                maxWell = Math.max(maxWell, d);
                sumWell += d;
            }
        }
        double meanWell = sumWell / Math.max(1, e.length - (long) TopKConditioning.count(ill) * (e.length / q));
        double mean = sum / e.length;
        if (Boolean.getBoolean("sali.parity.verbose")) {
            System.out.printf(
                    "  %-22s max %.3g mean %.3g (overall %.3g); %d ill-conditioned positions, max there %.3g%n",
                    key, maxWell, meanWell, mean, TopKConditioning.count(ill), maxIll);
        }
        assertTrue(
                maxWell <= Parity.MAX_TOL && meanWell <= Parity.MEAN_TOL,
                String.format("%s: max |diff| %.3g, mean %.3g at well-conditioned positions", key, maxWell, meanWell));
        assertTrue(
                maxIll <= READOUT_NEAR_TIE && mean <= READOUT_NEAR_TIE_MEAN,
                String.format(
                        "%s: max |diff| %.3g at near-tied top-k boundaries, overall mean %.3g", key, maxIll, mean));
    }

    private static void assertDecoderOutputs(int i, Map<String, NpyArray> expected, float[][] maps, long[][] shapes) {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            NDList native4 = new NDList();
            for (int k = 0; k < 4; k++) {
                native4.add(m.create(maps[k], new ai.djl.ndarray.types.Shape(shapes[k])));
            }
            NDList preds = SaliDecoder.predictions(native4);
            for (int k = 0; k < 4; k++) {
                Parity.assertClose(
                        "decoder" + k + "_" + i,
                        expected.get("decoder" + k + "_" + i),
                        preds.get(k).toFloatArray(),
                        preds.get(k).getShape().getShape());
            }
        }
    }

    private static void assertMemory(Map<String, NpyArray> stages, MemoryState memory) {
        for (int k = 0; k < 3; k++) {
            ScaleMemory s = memory.scale(k);
            long n = s.length();
            Parity.assertClose(
                    "mem_keys_s" + k, stages.get("mem_keys_s" + k), s.keys(), new long[] {1, s.keyChannels(), n});
            Parity.assertClose(
                    "mem_values_s" + k, stages.get("mem_values_s" + k), s.values(), new long[] {1, s.valueChannels(), n
                    });
            // Usage sums top-k weights over every frame's read: near-tied boundaries (see assertReadout) move
            // one entry's weight to another, up to 0.1 on an entry (mean 4.1e-4) in the published model's own
            // runs; this port measured 0.05 (mean 5.2e-4). Which entries survive eviction (keys and values
            // above) is held to the stage bounds, and life (counted in Java) exactly.
            Parity.assertClose(
                    "mem_usage_s" + k,
                    stages.get("mem_usage_s" + k).toFloatArray(),
                    s.usage(),
                    NoiseFloor.MARGIN * NoiseFloor.USAGE_NEAR_TIE,
                    NoiseFloor.MARGIN * NoiseFloor.USAGE_NEAR_TIE_MEAN);
            Parity.assertClose("mem_life_s" + k, stages.get("mem_life_s" + k), s.life(), new long[] {1, 1, n});
        }
        assertTrue(memory.frames() > 0);
    }

    private static void record(String name, NDList arrays, Map<String, float[][]> seen, Map<String, long[][]> shapes) {
        float[][] v = new float[arrays.size()][];
        long[][] sh = new long[arrays.size()][];
        for (int k = 0; k < arrays.size(); k++) {
            NDArray a = arrays.get(k);
            v[k] = a.toFloatArray();
            sh[k] = a.getShape().getShape();
        }
        seen.put(name, v);
        shapes.put(name, sh);
    }

    private static List<Path> frames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
    }
}
