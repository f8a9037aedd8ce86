package org.salistream.datasets.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.datasets.GrayImage;
import org.salistream.datasets.SunSegFrame;
import org.salistream.datasets.SunSegLayout;
import org.salistream.datasets.eval.VpsEvaluator;

class SunSegWriterTest {

    @TempDir
    Path out;

    @Test
    void writtenCasesReadBackInSunSegLayoutInFrameOrder() throws Exception {
        SynthOptions o =
                SynthOptions.builder().size(48, 40).frames(12).polyps(1, 2).build();
        SyntheticCase c = new SyntheticProcedureGenerator(o, 9).generateCase(3);
        List<String> progress = new ArrayList<>();
        String codec = new SunSegWriter(out.resolve("Synth")).write(c, false, progress::add);
        assertEquals(null, codec);
        assertTrue(progress.get(progress.size() - 1).contains("12/12 frames"), progress.toString());

        SunSegLayout layout = SunSegLayout.open(out, "Synth");
        assertEquals(List.of("case3"), layout.cases());
        List<SunSegFrame> frames = layout.frames("case3");
        assertEquals(12, frames.size());
        assertEquals("case3_a3_synth_image0001", frames.get(0).name());
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(SunSegWriter.frameName(c, i), frames.get(i).name(), "lexicographic order is frame order");
            GrayImage mask = frames.get(i).readMask().orElseThrow();
            assertArrayEquals(c.render(i).mask().pixels(), mask.pixels(), "mask PNG is the exact mask");
        }
        // The toolbox's own sort (SUN-SEG key: case, _a, _image) agrees.
        assertEquals(
                frames.stream().map(f -> f.name() + ".png").toList(),
                VpsEvaluator.framesInToolboxOrder(layout.gtDir("case3"), "case3"));
        List<String> meta = Files.readAllLines(out.resolve("Synth/Meta/case3.tsv"));
        assertEquals(13, meta.size());
        assertTrue(meta.get(0).startsWith("frame\tname\tpolyp_visible"));
    }
}
