package org.salistream.model.checkpoint;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A checkpoint written by {@code torch.save} in the zip container format of PyTorch 1.6 and later, read
 * without Python: {@code <archive>/data.pkl} is a pickle of the state dict whose tensors name their
 * storages by persistent id; {@code <archive>/data/<key>} holds each storage's raw bytes (little-endian
 * unless {@code <archive>/byteorder} says {@code big}). This follows {@code torch.serialization._load}:
 * {@code persistent_load} maps ids to storages and {@code torch._utils._rebuild_tensor_v2} views them.
 *
 * <p>{@link #open} reads only the pickle, so names, dtypes and shapes are known before any weight is read;
 * {@link #read} and {@link #readAll} then read each storage entry once, straight from the zip (torch
 * stores them uncompressed), keeping one copy of the bytes. The official checkpoints hold the state dict
 * at the top level ({@code torch.save(model.state_dict(), ...)} in {@code train_video.py}); a training
 * checkpoint that nests it under {@code state_dict}, {@code model}, ... is accepted and the key reported.
 */
public final class TorchCheckpoint implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(TorchCheckpoint.class);

    /** Top-level keys under which training scripts commonly save the state dict, in the order tried. */
    static final List<String> NESTED_KEYS =
            List.of("state_dict", "model_state_dict", "model", "net", "network", "module", "state");

    private static final long PROGRESS_MIN_BYTES = 64L << 20;

    private final Path file;
    private final ZipFile zip;
    private final String archive;
    private final boolean bigEndian;
    private final String version;
    private final Map<String, TensorRef> refs;
    private final String stateDictKey;

    private TorchCheckpoint(
            Path file,
            ZipFile zip,
            String archive,
            boolean bigEndian,
            String version,
            Map<String, TensorRef> refs,
            String stateDictKey) {
        this.file = file;
        this.zip = zip;
        this.archive = archive;
        this.bigEndian = bigEndian;
        this.version = version;
        this.refs = Collections.unmodifiableMap(refs);
        this.stateDictKey = stateDictKey;
    }

    /**
     * Opens a {@code .pth} file and reads its pickle (not yet its weights).
     *
     * @throws CheckpointException if the file is missing, not a zip, truncated, a legacy (pre-1.6) file,
     *     lacks {@code data.pkl}, holds a corrupt or disallowed pickle, or holds no state dict
     */
    public static TorchCheckpoint open(Path file) throws CheckpointException {
        CheckpointFormat.requireZip(file);
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (IOException e) {
            throw new CheckpointException(
                    file + " is a truncated or corrupt zip archive (" + e.getMessage()
                            + "): the download or copy is probably incomplete; compare its size and SHA-256 with the"
                            + " original.",
                    e);
        }
        try {
            String archive = CheckpointFormat.archiveName(file, zip);
            boolean bigEndian = CheckpointFormat.isBigEndian(file, zip, archive);
            String version =
                    CheckpointFormat.readText(zip, archive + "/version").orElse(null);
            ZipEntry pkl = zip.getEntry(archive + "/data.pkl");
            byte[] pickle = readEntry(file, zip, pkl, "the pickle");
            String source = file.getFileName() + "!" + pkl.getName();
            Object top = PickleMachine.load(pickle, source, pid -> CheckpointFormat.storageOf(pid));
            Map.Entry<String, Map<String, TensorRef>> found = CheckpointFormat.stateDictOf(top, file);
            TorchCheckpoint ckpt =
                    new TorchCheckpoint(file, zip, archive, bigEndian, version, found.getValue(), found.getKey());
            if (found.getKey() != null) {
                LOG.info("{}: state dict found under the top-level key '{}'", file.getFileName(), found.getKey());
            }
            return ckpt;
        } catch (CheckpointException | RuntimeException e) {
            closeQuietly(zip);
            if (e instanceof CheckpointException ce) {
                throw ce;
            }
            throw new CheckpointException(file + ": unreadable checkpoint: " + e, e);
        }
    }

    /** Opens the file, reads every tensor and closes it. */
    public static StateDict loadStateDict(Path file) throws CheckpointException {
        try (TorchCheckpoint ckpt = open(file)) {
            return ckpt.readAll();
        }
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The zip's top-level folder ({@code archive} or the file's stem, as torch chose it when saving). */
    public String archiveName() {
        return archive;
    }

    /** The content of {@code <archive>/version} (the serialization format version, e.g. {@code 3}). */
    public Optional<String> formatVersion() {
        return Optional.ofNullable(version);
    }

    /** Whether {@code <archive>/byteorder} says {@code big} (the bytes are swapped while reading). */
    public boolean isBigEndian() {
        return bigEndian;
    }

    /** The top-level key the state dict was nested under; empty when the file's top level is the state dict. */
    public Optional<String> stateDictKey() {
        return Optional.ofNullable(stateDictKey);
    }

    /** The tensor names in the pickle's order. */
    public List<String> names() {
        return List.copyOf(refs.keySet());
    }

    /** Each tensor's shape, in order, known without reading any weight. */
    public Map<String, long[]> shapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        refs.forEach((k, v) -> out.put(k, v.size().clone()));
        return out;
    }

    /** The dtype of a tensor. */
    public TorchDtype dtype(String name) {
        return ref(name).dtype();
    }

    /** Whether a tensor was saved as an {@code nn.Parameter} rather than a plain tensor. */
    public boolean isParameter(String name) {
        return ref(name).parameter();
    }

    /** Reads one tensor (its storage entry is read whole, then the view is taken). */
    public TensorData read(String name) throws CheckpointException {
        TensorRef t = ref(name);
        return StorageViews.view(name, t, storageBytes(t.storage(), name), describe(t.storage()));
    }

    /** Reads every tensor, each storage once, logging progress for large files. */
    public StateDict readAll() throws CheckpointException {
        // Storages shared by several tensors stay cached until their last user has been read.
        Map<String, Integer> users = new HashMap<>();
        long total = 0;
        for (TensorRef t : refs.values()) {
            if (users.merge(t.storage().key(), 1, Integer::sum) == 1) {
                total += entrySize(t.storage());
            }
        }
        Map<String, byte[]> cache = new HashMap<>();
        Map<String, TensorData> out = new LinkedHashMap<>();
        long done = 0;
        int reported = 0;
        long start = System.nanoTime();
        for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
            StorageRef s = e.getValue().storage();
            byte[] bytes = cache.get(s.key());
            if (bytes == null) {
                bytes = storageBytes(s, e.getKey());
                done += bytes.length;
                if (users.get(s.key()) > 1) {
                    cache.put(s.key(), bytes);
                }
            }
            if (users.merge(s.key(), -1, Integer::sum) == 0) {
                cache.remove(s.key());
            }
            out.put(e.getKey(), StorageViews.view(e.getKey(), e.getValue(), bytes, describe(s)));
            if (total >= PROGRESS_MIN_BYTES && done * 4 / total > reported) {
                reported = (int) (done * 4 / total);
                LOG.info("{}: read {}% of {} MiB of weights", file.getFileName(), reported * 25, total >> 20);
            }
        }
        LOG.debug(
                "{}: {} tensors, {} bytes in {} ms",
                file.getFileName(),
                out.size(),
                done,
                (System.nanoTime() - start) / 1_000_000);
        return new StateDict(out, stateDictKey);
    }

    private TensorRef ref(String name) {
        TensorRef t = refs.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor '" + name + "' in " + file);
        }
        return t;
    }

    private String describe(StorageRef s) {
        return file.getFileName() + "!" + archive + "/data/" + s.key();
    }

    private long entrySize(StorageRef s) {
        ZipEntry e = zip.getEntry(archive + "/data/" + s.key());
        return e == null ? 0 : Math.max(0, e.getSize());
    }

    /** The storage's bytes, little-endian (swapped here when the file was saved on a big-endian machine). */
    private byte[] storageBytes(StorageRef s, String tensorName) throws CheckpointException {
        ZipEntry entry = zip.getEntry(archive + "/data/" + s.key());
        if (entry == null) {
            throw new CheckpointException(file + ": the storage entry " + archive + "/data/" + s.key() + " of tensor '"
                    + tensorName + "' is missing from the zip (truncated or hand-edited checkpoint)");
        }
        byte[] bytes = readEntry(file, zip, entry, "storage of tensor '" + tensorName + "'");
        if (bigEndian) {
            StorageViews.swapBytes(bytes, s.dtype().elementSize());
        }
        return bytes;
    }

    static byte[] readEntry(Path file, ZipFile zip, ZipEntry entry, String what) throws CheckpointException {
        long size = entry.getSize();
        if (size > Integer.MAX_VALUE - 16) {
            throw new CheckpointException(file + ": " + entry.getName() + " (" + what + ") holds " + size
                    + " bytes, more than one Java array can");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            if (size < 0) {
                return in.readAllBytes();
            }
            // Read into the exact array: readNBytes(int) would buffer in chunks and copy, doubling the peak.
            byte[] b = new byte[(int) size];
            int n = in.readNBytes(b, 0, b.length);
            if (n != size) {
                throw new CheckpointException(file + ": " + entry.getName() + " (" + what + ") ends after " + n + " of "
                        + size + " bytes: truncated checkpoint");
            }
            return b;
        } catch (IOException e) {
            if (e instanceof CheckpointException ce) {
                throw ce;
            }
            throw new CheckpointException(
                    file + ": cannot read " + entry.getName() + " (" + what + "): " + e.getMessage()
                            + " (truncated or corrupt checkpoint)",
                    e);
        }
    }

    private static void closeQuietly(ZipFile zip) {
        try {
            zip.close();
        } catch (IOException ignored) {
            // Already failing with a more useful message.
        }
    }

    @Override
    public void close() throws CheckpointException {
        try {
            zip.close();
        } catch (IOException e) {
            throw new CheckpointException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "TorchCheckpoint[" + file + ", " + refs.size() + " tensors"
                + (stateDictKey == null ? "" : ", under '" + stateDictKey + "'") + "]";
    }
}
