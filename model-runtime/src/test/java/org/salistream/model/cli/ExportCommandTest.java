package org.salistream.model.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.model.checkpoint.CheckpointMetadata;
import org.salistream.model.checkpoint.ModelCard;
import org.salistream.model.checkpoint.NativeCheckpoint;
import org.salistream.model.checkpoint.SaliModelLoader;
import org.salistream.model.checkpoint.Sha256;
import org.salistream.model.stage.DjlSaliStages;
import org.salistream.model.testing.UntrainedCheckpoint;
import picocli.CommandLine;

/**
 * {@code sali export}: a native checkpoint exported as float16 is half the size, keeps its provenance, says
 * so in it, prints the lines its model card needs (which then verify), and loads; bad requests end with one
 * line and exit code 1.
 */
class ExportCommandTest {

    @TempDir
    Path tmp;

    private record Result(int code, String out, String err) {}

    private static Result export(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new ExportCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void aFloat16ExportIsHalfTheSizeKeepsItsProvenanceAndLoadsWithTheCardItPrints() throws Exception {
        Path source = UntrainedCheckpoint.folder();
        Path target = tmp.resolve("half");
        Result r = export("--weights", source.toString(), "--out", target.toString(), "--precision", "float16");
        assertEquals(0, r.code(), r.err());
        long before = Files.size(source.resolve(NativeCheckpoint.PARAMS));
        long after = Files.size(target.resolve(NativeCheckpoint.PARAMS));
        assertTrue(after < before * 0.52, after + " bytes of " + before);

        CheckpointMetadata meta = NativeCheckpoint.readMetadata(target);
        assertEquals("float16", meta.provenance().get("weights_precision"));
        assertEquals("untrained, for tests", meta.provenance().get("source"), "provenance carried over");
        assertEquals(
                NativeCheckpoint.readMetadata(source).sha256(),
                meta.provenance().get("exported_from_sha256"));

        // The lines printed for the model card are the files' digests: a card made of them verifies.
        String paramsLine = Sha256.ofFile(target.resolve(NativeCheckpoint.PARAMS)) + "  " + NativeCheckpoint.PARAMS;
        String jsonLine = Sha256.ofFile(target.resolve(NativeCheckpoint.METADATA)) + "  " + NativeCheckpoint.METADATA;
        assertTrue(r.out().contains(paramsLine) && r.out().contains(jsonLine), r.out());
        Files.writeString(target.resolve(ModelCard.FILE), "# card\n\n```\n" + paramsLine + "\n" + jsonLine + "\n```\n");
        NativeCheckpoint.verify(target, UntrainedCheckpoint.CONFIG);
        try (DjlSaliStages model = SaliModelLoader.open(target, UntrainedCheckpoint.CONFIG)) {
            model.network()
                    .getParameters()
                    .forEach(p -> assertFalse(
                            p.getValue().getArray().getDataType() == DataType.FLOAT16,
                            "computes in float32: " + p.getKey()));
        }
    }

    @Test
    void provenanceEntriesGivenOnTheCommandLineAreAddedReplacedOrRemoved() throws Exception {
        Path target = tmp.resolve("edited");
        Result r = export(
                "--weights",
                UntrainedCheckpoint.folder().toString(),
                "--out",
                target.toString(),
                "--provenance",
                "source=shipped for a test",
                "--provenance",
                "command=bin/sali train --synthetic 1",
                "--provenance",
                "exported_from=");
        assertEquals(0, r.code(), r.err());
        var provenance = NativeCheckpoint.readMetadata(target).provenance();
        assertEquals("shipped for a test", provenance.get("source"), "replaced");
        assertEquals("bin/sali train --synthetic 1", provenance.get("command"), "added");
        assertFalse(provenance.containsKey("exported_from"), "removed: " + provenance);
        assertEquals("float32", provenance.get("weights_precision"), "the rest kept");
        // The printed digest is of the file as edited, so the card needs no later edit.
        assertTrue(r.out().contains(Sha256.ofFile(target.resolve(NativeCheckpoint.METADATA))), r.out());
    }

    @Test
    void anExportNeverWritesIntoAFolderThatHoldsFiles() throws Exception {
        Path target = Files.createDirectories(tmp.resolve("model"));
        Files.writeString(target.resolve(ModelCard.FILE), "# another model's card\n");
        Result r = export("--weights", UntrainedCheckpoint.folder().toString(), "--out", target.toString());
        assertUserError(r, "not empty");
        assertFalse(Files.exists(target.resolve(NativeCheckpoint.PARAMS)));
    }

    @Test
    void anUnknownPrecisionOrUntrainedWeightsIsOneLine() {
        String out = tmp.resolve("x").toString();
        assertUserError(
                export("--weights", UntrainedCheckpoint.folder().toString(), "--out", out, "--precision", "float64"),
                "--precision must be float32 or float16");
        assertUserError(export("--weights", "untrained", "--out", out), "nothing trained to export");
        assertUserError(
                export("--weights", tmp.resolve("missing.pth").toString(), "--out", out, "--backbone", "pvt_v2_b0"),
                "missing.pth");
        assertUserError(
                export("--weights", UntrainedCheckpoint.folder().toString(), "--out", out, "--provenance", "=x"),
                "non-empty KEY");
    }

    private static void assertUserError(Result r, String part) {
        assertEquals(CommandErrors.USER_ERROR, r.code(), r.err());
        List<String> lines =
                r.err().lines().filter(l -> l.startsWith("sali export: ")).toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).contains(part), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }
}
