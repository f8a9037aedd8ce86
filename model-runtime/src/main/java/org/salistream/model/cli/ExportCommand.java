package org.salistream.model.cli;

import ai.djl.ndarray.types.DataType;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.salistream.model.ModelConfig;
import org.salistream.model.checkpoint.CheckpointMetadata;
import org.salistream.model.checkpoint.ModelCard;
import org.salistream.model.checkpoint.NativeCheckpoint;
import org.salistream.model.checkpoint.SaliModelLoader;
import org.salistream.model.checkpoint.Sha256;
import org.salistream.model.stage.DjlSaliStages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sali export}: writes a model (a published {@code .pth} or a native checkpoint folder) as a native
 * checkpoint folder, its parameters stored as float32 or float16. float16 is how a model is shipped in this
 * repository: half the bytes in its history, loaded back as float32 (see {@code ParameterPrecision}). The
 * rounding is a change of model, not float noise: on the shipped model it moved the logits by up to 0.045
 * (of up to 31) and flipped 21 of 2 million mask pixels (model card), so a float16 model's figures are
 * measured on the float16 files themselves.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Write a model (.pth or native folder) as a native checkpoint folder, float32 or float16.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:written", "1:bad input (checkpoint, option value); see the message", "2:invalid command line"
        })
public final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Folder to write model.params and model.json into (a new or empty folder).")
    Path out;

    @Option(
            names = "--precision",
            defaultValue = "float32",
            paramLabel = "TYPE",
            description = "Storage of the parameters: float32 or float16 (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(
            names = "--provenance",
            paramLabel = "KEY=VALUE",
            description = "Set a provenance entry of model.json (repeatable; an empty VALUE removes the entry):"
                    + " how the model was made, said by whoever ships it, e.g. the command that trained it.")
    Map<String, String> provenanceEdits = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        return CommandErrors.run(
                "sali export", err, () -> export(spec.commandLine().getOut()));
    }

    private int export(PrintWriter stdout) throws Exception {
        DataType storage = storage(precision);
        Path weights = model.resolvedWeights();
        if (weights == null) {
            throw new IllegalArgumentException("--weights untrained: nothing trained to export");
        }
        if (Files.exists(out)) {
            try (var entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    // A folder with a model card would no longer match it; never overwrite a model silently.
                    throw new IllegalArgumentException(out + ": not empty (export writes into a new or empty folder)");
                }
            }
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        if (NativeCheckpoint.isNative(weights)) {
            CheckpointMetadata meta = NativeCheckpoint.readMetadata(NativeCheckpoint.folder(weights));
            if (meta.provenance() != null) {
                provenance.putAll(meta.provenance());
            }
            provenance.put("exported_from_sha256", meta.sha256());
        } else {
            provenance.put("source", "published state dict (.pth)");
            provenance.put("exported_from_sha256", Sha256.ofFile(weights));
        }
        provenance.put("exported_from", weights.getFileName().toString());
        provenance.put("weights_precision", storage == DataType.FLOAT16 ? "float16" : "float32");
        // After the copied entries, so that a shipper can replace what the trainer wrote (a local path, a
        // missing stage) instead of editing model.json after its digest has been printed.
        provenanceEdits.forEach((key, value) -> {
            if (key.isBlank()) {
                throw new IllegalArgumentException("--provenance needs KEY=VALUE with a non-empty KEY");
            }
            if (value.isEmpty()) {
                provenance.remove(key);
            } else {
                provenance.put(key, value);
            }
        });
        // Opened as every command opens a model (checksum, backbone and shape checks included).
        try (DjlSaliStages stages = model.open()) {
            ModelConfig config = stages.config();
            CheckpointMetadata written = NativeCheckpoint.write(out, stages.network(), config, provenance, storage);
            stdout.printf(
                    Locale.ROOT,
                    "sali export: %s: %s %s@%d, %d bytes (%s), sha256 %s%n",
                    out,
                    SaliModelLoader.MODEL_NAME,
                    config.backbone().name(),
                    config.size(),
                    written.bytes(),
                    provenance.get("weights_precision"),
                    written.sha256());
            // The lines a model card beside the files lists (sha256sum's format), for whoever ships them.
            stdout.printf(Locale.ROOT, "  for its %s:%n", ModelCard.FILE);
            stdout.printf(Locale.ROOT, "%s  %s%n", written.sha256(), NativeCheckpoint.PARAMS);
            stdout.printf(
                    Locale.ROOT,
                    "%s  %s%n",
                    Sha256.ofFile(out.resolve(NativeCheckpoint.METADATA)),
                    NativeCheckpoint.METADATA);
            stdout.flush();
        }
        return 0;
    }

    private static DataType storage(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "float32" -> DataType.FLOAT32;
            case "float16" -> DataType.FLOAT16;
            default -> throw new IllegalArgumentException("--precision must be float32 or float16, got '" + name + "'");
        };
    }
}
