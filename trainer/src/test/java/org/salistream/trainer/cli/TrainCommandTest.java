package org.salistream.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.model.checkpoint.CheckpointMetadata;
import org.salistream.model.checkpoint.NativeCheckpoint;
import picocli.CommandLine;

/** {@code sali train} from the command line: a synthetic smoke run, and clear errors for wrong input. */
class TrainCommandTest {

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new TrainCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aSyntheticSmokeRunTrainsValidatesAndWritesCheckpoints(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("ckpt");
        Run r = run(
                "--synthetic",
                "1",
                "--synthetic-frames",
                "4",
                "--backbone",
                "pvt_v2_b0",
                "--size",
                "256",
                "--batch",
                "2",
                "--epochs",
                "1",
                "--max-steps",
                "2",
                "--out",
                out.toString(),
                "--threads",
                "2",
                "--log-every",
                "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("trained 2 step(s)"), r.out());
        assertTrue(r.err().contains("steps/s") && r.err().contains("ETA"), r.err());
        assertTrue(r.err().contains("validation: epoch 1"), r.err());
        CheckpointMetadata best = NativeCheckpoint.readMetadata(out.resolve("best"));
        assertEquals("pvt_v2_b0", best.backbone());
        assertEquals(2, ((Number) best.provenance().get("step")).intValue());
        assertTrue(Files.isRegularFile(out.resolve("last").resolve(NativeCheckpoint.METADATA)));

        // Fine-tuning starts from the checkpoint just written.
        Path out2 = dir.resolve("ckpt2");
        Run again = run(
                "--synthetic",
                "1",
                "--synthetic-frames",
                "4",
                "--backbone",
                "pvt_v2_b0",
                "--size",
                "256",
                "--batch",
                "2",
                "--epochs",
                "1",
                "--max-steps",
                "1",
                "--no-val",
                "--out",
                out2.toString(),
                "--weights",
                out.resolve("best").toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(String.valueOf(NativeCheckpoint.readMetadata(out2.resolve("best"))
                        .provenance()
                        .get("backbone_init"))
                .startsWith("checkpoint "));
    }

    @Test
    void aFolderThatIsNotASunSegLayoutIsAClearError(@TempDir Path dir) {
        Run r = run("--data", dir.toString(), "--backbone", "pvt_v2_b0", "--size", "256");
        assertEquals(1, r.code());
        assertTrue(
                r.err().startsWith("sali train: ")
                        && r.err().contains("TrainDataset")
                        && r.err().contains("Frame"),
                r.err());
    }

    @Test
    void badOptionsAreClearErrors(@TempDir Path dir) {
        Run none = run("--size", "256");
        assertEquals(1, none.code());
        assertTrue(none.err().contains("--data is required"), none.err());
        Run both = run("--data", dir.toString(), "--synthetic", "1");
        assertEquals(1, both.code());
        assertTrue(both.err().contains("not both"), both.err());
        Run backbone = run("--data", dir.toString(), "--backbone", "resnet50");
        assertEquals(1, backbone.code());
        assertTrue(backbone.err().contains("unknown backbone"), backbone.err());
        Run size = run("--data", dir.toString(), "--size", "300");
        assertEquals(1, size.code());
        assertTrue(size.err().contains("multiple of 32"), size.err());
        Run bn = run("--data", dir.toString(), "--bn", "sometimes");
        assertEquals(1, bn.code());
        assertTrue(bn.err().contains("BatchNorm mode"), bn.err());
    }
}
