package org.salistream.model.checkpoint;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.salistream.model.ModelConfig;
import org.salistream.model.nn.ParameterPaths;
import org.salistream.model.sali.SaliNetwork;

/**
 * The project's own checkpoint: a folder with {@code model.params} (the network's parameters in DJL's
 * format, {@code Block.saveParameters}) and {@code model.json} ({@link CheckpointMetadata}). Loading checks
 * the metadata against the requested architecture and the SHA-256 of the parameters before reading them.
 */
public final class NativeCheckpoint {

    /** The metadata file name. */
    public static final String METADATA = "model.json";
    /** The parameters file name. */
    public static final String PARAMS = "model.params";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private NativeCheckpoint() {}

    /** Whether {@code path} is a native checkpoint folder or its {@code model.json}. */
    public static boolean isNative(Path path) {
        return Files.isDirectory(path)
                ? Files.isRegularFile(path.resolve(METADATA))
                : path.getFileName() != null && path.getFileName().toString().equals(METADATA);
    }

    /** The folder of a native checkpoint given as the folder or its metadata file. */
    public static Path folder(Path path) {
        return Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
    }

    /**
     * Writes a checkpoint of {@code network} (initialised) into {@code dir}, replacing one there.
     *
     * @param provenance free-form facts: source, trainer settings, scores
     */
    public static CheckpointMetadata write(
            Path dir, SaliNetwork network, ModelConfig config, Map<String, Object> provenance) throws IOException {
        return write(dir, network, config, provenance, DataType.FLOAT32);
    }

    /**
     * Writes a checkpoint as {@link #write(Path, SaliNetwork, ModelConfig, Map)} does, its floating-point
     * parameters stored as {@code storage}: {@code FLOAT16} halves the file (a shipped model). The network
     * itself is not touched (its stages may hold its arrays): the float16 file is written from a copy.
     */
    public static CheckpointMetadata write(
            Path dir, SaliNetwork network, ModelConfig config, Map<String, Object> provenance, DataType storage)
            throws IOException {
        if (storage != DataType.FLOAT32 && storage != DataType.FLOAT16) {
            throw new IllegalArgumentException("checkpoint storage must be float32 or float16, got " + storage);
        }
        Files.createDirectories(dir);
        Path tmp = dir.resolve(PARAMS + ".tmp");
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp));
                DataOutputStream out = new DataOutputStream(os)) {
            if (storage == DataType.FLOAT32) {
                network.saveParameters(out);
            } else {
                writeHalf(network, config, out);
            }
        }
        Files.move(tmp, dir.resolve(PARAMS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Path params = dir.resolve(PARAMS);
        CheckpointMetadata meta =
                CheckpointMetadata.of(config, provenance, PARAMS, Sha256.ofFile(params), Files.size(params));
        JSON.writeValue(dir.resolve(METADATA).toFile(), meta);
        return meta;
    }

    private static void writeHalf(SaliNetwork network, ModelConfig config, DataOutputStream out) throws IOException {
        ByteArrayOutputStream float32 = new ByteArrayOutputStream();
        try (DataOutputStream copyOut = new DataOutputStream(float32)) {
            network.saveParameters(copyOut);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            SaliNetwork copy = new SaliNetwork(config.backbone());
            copy.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(float32.toByteArray())));
            ParameterPrecision.cast(copy, DataType.FLOAT32, DataType.FLOAT16);
            copy.saveParameters(out);
        } catch (MalformedModelException e) {
            throw new IOException("cannot copy the network's parameters for float16 storage: " + e.getMessage(), e);
        }
    }

    /** Reads and checks the metadata of a checkpoint folder. */
    public static CheckpointMetadata readMetadata(Path dir) throws CheckpointException {
        Path file = dir.resolve(METADATA);
        CheckpointMetadata meta;
        try {
            meta = JSON.readValue(file.toFile(), CheckpointMetadata.class);
        } catch (IOException e) {
            throw new CheckpointException(file + ": unreadable checkpoint metadata: " + e.getMessage(), e);
        }
        if (!CheckpointMetadata.FORMAT.equals(meta.format())
                || !CheckpointMetadata.ARCHITECTURE.equals(meta.architecture())) {
            throw new CheckpointException(file + ": not a SALI Stream checkpoint (format " + meta.format()
                    + ", architecture " + meta.architecture() + ")");
        }
        if (meta.formatVersion() > CheckpointMetadata.VERSION) {
            throw new CheckpointException(file + ": checkpoint format version " + meta.formatVersion()
                    + " is newer than this build reads (" + CheckpointMetadata.VERSION + ")");
        }
        if (meta.backbone() == null || meta.weightsFile() == null || meta.sha256() == null) {
            throw new CheckpointException(
                    file + ": incomplete checkpoint metadata (backbone, weightsFile and" + " sha256 are required)");
        }
        Path weights = Path.of(meta.weightsFile());
        if (weights.isAbsolute()
                || weights.getNameCount() != 1
                || weights.toString().equals("..")) {
            throw new CheckpointException(file + ": weightsFile must be a file name beside " + METADATA + ", got '"
                    + meta.weightsFile() + "'");
        }
        return meta;
    }

    /**
     * Loads a checkpoint folder into a network (initialised or not: its parameter shapes are fixed at
     * construction and checked against the file's).
     *
     * @throws CheckpointException when the metadata names another architecture than {@code config}, the
     *     weights' checksum differs, or the parameters do not fit
     */
    public static CheckpointMetadata load(Path dir, SaliNetwork network, ModelConfig config, NDManager manager)
            throws CheckpointException {
        CheckpointMetadata meta = verify(dir, config);
        Path params = dir.resolve(meta.weightsFile());
        // DJL's loadParameters takes each stored array as it is, whatever its shape (PVTv2-B0 and -B1 have the
        // same parameter names and differ only in widths), so the shapes are checked against the network's
        // own, which SaliBlocks fix at construction.
        Map<String, long[]> expected = parameterShapes(network);
        try (InputStream is = new BufferedInputStream(Files.newInputStream(params));
                DataInputStream in = new DataInputStream(is)) {
            network.loadParameters(manager, in);
            if (in.read() != -1) {
                throw new CheckpointException(params + ": parameters do not fit a "
                        + config.backbone().name()
                        + " SALI network: the file holds more parameters than the network has");
            }
            // A float16-stored checkpoint (a shipped model) computes in float32 like every other.
            ParameterPrecision.cast(network, DataType.FLOAT16, DataType.FLOAT32);
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new CheckpointException(
                    params + ": parameters do not fit a " + config.backbone().name() + " SALI network: "
                            + e.getMessage(),
                    e);
        }
        StateDictMismatch mismatch = StateDictMismatch.between(expected, parameterShapes(network));
        if (!mismatch.isEmpty()) {
            throw new CheckpointException(
                    params + ": parameters do not fit a " + config.backbone().name()
                            + " SALI network (is " + METADATA + " from another model?): "
                            + mismatch.format(SaliModelLoader.MODEL_NAME));
        }
        return meta;
    }

    /**
     * Checks a checkpoint folder without loading it: its metadata, the architecture against {@code config},
     * its {@link ModelCard} where it has one, and the weights' size and checksum.
     *
     * @throws CheckpointException naming what is wrong
     */
    public static CheckpointMetadata verify(Path dir, ModelConfig config) throws CheckpointException {
        CheckpointMetadata meta = readMetadata(dir);
        if (!meta.backbone().equals(config.backbone().name())) {
            throw new CheckpointException(dir + ": checkpoint holds a " + meta.backbone() + " model but "
                    + config.backbone().name() + " was requested (--backbone / model.backbone)");
        }
        if (meta.channel() != SaliNetwork.CHANNEL) {
            throw new CheckpointException(
                    dir + ": checkpoint has " + meta.channel() + " feature channels, expected " + SaliNetwork.CHANNEL);
        }
        ModelCard.verify(dir);
        Path params = dir.resolve(meta.weightsFile());
        if (!Files.isRegularFile(params)) {
            throw new CheckpointException(params + ": the weights file named in " + METADATA + " is missing");
        }
        try {
            long size = Files.size(params);
            if (size != meta.bytes()) {
                throw new CheckpointException(params + ": " + size + " bytes where " + METADATA + " says "
                        + meta.bytes() + (size < meta.bytes() ? " (truncated file)" : " (corrupt or replaced file)"));
            }
            if (!Sha256.ofFile(params).equals(meta.sha256())) {
                throw new CheckpointException(
                        params + ": weights do not match the checksum in " + METADATA + " (corrupt or replaced file)");
            }
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(params + ": unreadable weights: " + e.getMessage(), e);
        }
        return meta;
    }

    /** The shapes of the network's parameters by state dict name (without BatchNorm's step counters). */
    private static Map<String, long[]> parameterShapes(SaliNetwork network) {
        Map<String, long[]> out = new LinkedHashMap<>();
        ParameterPaths.of(network)
                .forEach((name, p) -> out.put(name, p.getShape().getShape()));
        return out;
    }
}
