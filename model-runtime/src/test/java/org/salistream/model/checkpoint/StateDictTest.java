package org.salistream.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Key operations of {@link StateDict} and PyTorch's {@code load_state_dict} report in {@link StateDictMismatch}. */
class StateDictTest {

    private static final TensorData W = TensorData.ofFloats(new float[6], 2, 3);
    private static final TensorData B = TensorData.ofFloats(new float[2], 2);
    private static final TensorData N = TensorData.ofLongs(new long[] {0});

    private static StateDict of(Object... keysAndTensors) {
        Map<String, TensorData> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndTensors.length; i += 2) {
            m.put((String) keysAndTensors[i], (TensorData) keysAndTensors[i + 1]);
        }
        return new StateDict(m);
    }

    private static Map<String, long[]> shapes(Object... keysAndShapes) {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndShapes.length; i += 2) {
            m.put((String) keysAndShapes[i], (long[]) keysAndShapes[i + 1]);
        }
        return m;
    }

    @Test
    void aBackboneFileMovesUnderTheModelsPrefixAndBack() {
        StateDict pvt = of("patch_embed1.proj.weight", W, "head.weight", B);
        StateDict moved = pvt.withPrefix("backbone.feat_net.pvtv2_en.");
        assertEquals(
                List.of(
                        "backbone.feat_net.pvtv2_en.patch_embed1.proj.weight",
                        "backbone.feat_net.pvtv2_en.head.weight"),
                List.copyOf(moved.keys()));
        assertSame(W, moved.get("backbone.feat_net.pvtv2_en.patch_embed1.proj.weight"));
        assertEquals(
                List.copyOf(pvt.keys()),
                List.copyOf(moved.selectPrefix("backbone.feat_net.pvtv2_en.").keys()));
    }

    @Test
    void stripPrefixKeepsKeysWithoutItWhileSelectPrefixDropsThem() {
        StateDict sd = of("module.a.weight", W, "b.weight", B);
        assertEquals(
                List.of("a.weight", "b.weight"),
                List.copyOf(sd.stripPrefix("module.").keys()));
        assertEquals(List.of("a.weight"), List.copyOf(sd.selectPrefix("module.").keys()));
        assertEquals(
                List.of("a.weight", "b.weight"),
                List.copyOf(sd.stripDataParallelPrefix().keys()));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> of("module.a", W, "a", B).stripPrefix("module."));
        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
    }

    @Test
    void filterAndMergeBuildTheDictThatLoads() {
        StateDict model = of("enc.w", W, "dec.w", W);
        StateDict backbone = of("w", W, "head.weight", B).withPrefix("enc.");
        Map<String, long[]> expected = model.shapes();
        StateDict loaded = model.filter(k -> !k.startsWith("enc.")).merge(backbone.filter(expected::containsKey));
        assertTrue(loaded.compareTo(expected).isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.merge(backbone));
        assertTrue(e.getMessage().contains("'enc.w'"), e.getMessage());
    }

    @Test
    void countsAndLookupsSayWhatIsMissing() {
        StateDict sd = of("conv.weight", W, "bn.num_batches_tracked", N);
        assertEquals(7, sd.totalNumel());
        assertEquals(6, sd.numel(k -> !k.endsWith(StateDict.NUM_BATCHES_TRACKED)));
        assertFalse(sd.find("conv.bias").isPresent());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sd.get("conv.bias"));
        assertTrue(e.getMessage().contains("'conv.bias'"), e.getMessage());
    }

    @Test
    void theReportReadsExactlyLikePytorchsStrictLoadError() {
        StateDict ckpt = of("conv.weight", W, "extra.bias", B, "x", W, "bn.num_batches_tracked", N);
        Map<String, long[]> model = shapes(
                "conv.weight",
                new long[] {2, 3},
                "x",
                new long[] {3, 2},
                "a",
                new long[] {1},
                "b",
                new long[0],
                "bn.num_batches_tracked",
                new long[0]);
        StateDictMismatch m = ckpt.compareTo(model);
        assertEquals(List.of("a", "b"), m.missingKeys());
        assertEquals(List.of("extra.bias"), m.unexpectedKeys());
        assertEquals(1, m.sizeMismatches().size());
        assertEquals(
                "Error(s) in loading state_dict for VideoModel:\n"
                        + "\tMissing key(s) in state_dict: \"a\", \"b\". \n"
                        + "\tUnexpected key(s) in state_dict: \"extra.bias\". \n"
                        + "\tsize mismatch for x: copying a param with shape torch.Size([2, 3]) from checkpoint,"
                        + " the shape in current model is torch.Size([3, 2]).",
                m.format("VideoModel"));
        assertEquals(
                "Error(s) in loading state_dict for VideoModel:\n"
                        + "\tsize mismatch for x: copying a param with shape torch.Size([2, 3]) from checkpoint,"
                        + " the shape in current model is torch.Size([3, 2]).",
                m.format("VideoModel", false));
        assertTrue(m.fails(false));
        CheckpointException e = assertThrows(CheckpointException.class, () -> m.requireLoadable("VideoModel", true));
        assertEquals(m.format("VideoModel"), e.getMessage());
    }

    @Test
    void aOneDimensionalCheckpointTensorLoadsIntoAScalarAsInPytorch() {
        StateDict ckpt = of("step", B, "s", W);
        StateDictMismatch m = ckpt.compareTo(shapes("step", new long[0], "s", new long[0]));
        assertEquals(
                List.of("s"),
                m.sizeMismatches().stream()
                        .map(StateDictMismatch.SizeMismatch::key)
                        .toList());
        assertEquals(
                "size mismatch for s: copying a param with shape torch.Size([2, 3]) from checkpoint, the shape"
                        + " in current model is torch.Size([]).",
                m.sizeMismatches().get(0).message());
    }

    @Test
    void missingAndUnexpectedKeysPassWhenNotStrict() throws CheckpointException {
        StateDictMismatch m = of("a", W).compareTo(shapes("b", new long[] {2, 3}));
        assertTrue(m.fails(true));
        assertFalse(m.fails(false));
        assertEquals("", m.format("Net", false));
        m.requireLoadable("Net", false);
        assertTrue(of("a", W).compareTo(shapes("a", new long[] {2, 3})).isEmpty());
    }
}
