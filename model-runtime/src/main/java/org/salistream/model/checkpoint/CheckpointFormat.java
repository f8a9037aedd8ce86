package org.salistream.model.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The container-level rules of {@code torch.save}'s zip format ({@code torch/serialization.py},
 * {@code caffe2/serialize/inline_container.cc}): recognising the file, finding the archive folder, the
 * byte order, the persistent ids of storages, and where the state dict sits in the unpickled object.
 */
final class CheckpointFormat {

    /** The magic number legacy {@code torch.save} pickles first: LONG1 0x1950a86a20f9469cfc6c. */
    private static final byte[] LEGACY_MAGIC_PREFIX = {
        (byte) 0x80,
        0x02,
        (byte) 0x8a,
        0x0a,
        0x6c,
        (byte) 0xfc,
        (byte) 0x9c,
        0x46,
        (byte) 0xf9,
        0x20,
        0x6a,
        (byte) 0xa8,
        0x50,
        0x19
    };

    private static final String RESAVE = " Re-save it with PyTorch 1.6 or newer, which writes the zip format: "
            + "torch.save(torch.load(old, map_location='cpu'), new).";

    private CheckpointFormat() {}

    /** Fails unless the file starts like a zip, naming the legacy formats that a newer torch can convert. */
    static void requireZip(Path file) throws CheckpointException {
        if (!Files.exists(file)) {
            throw new CheckpointException("checkpoint " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("checkpoint " + file + " is not a regular file");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(512);
        } catch (IOException e) {
            throw new CheckpointException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
        if (head.length == 0) {
            throw new CheckpointException("checkpoint " + file + " is empty (0 bytes)");
        }
        if (head.length >= 4
                && head[0] == 'P'
                && head[1] == 'K'
                && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6))) {
            return;
        }
        if (startsWith(head, LEGACY_MAGIC_PREFIX)) {
            throw new CheckpointException(file + " was written by torch.save in the legacy format of PyTorch before"
                    + " 1.6 (or with _use_new_zipfile_serialization=False), which this reader does not support."
                    + RESAVE);
        }
        if (head.length >= 262 && new String(head, 257, 5, StandardCharsets.ISO_8859_1).equals("ustar")) {
            throw new CheckpointException(
                    file + " is a tar archive: the legacy torch.save format of PyTorch 0.1." + RESAVE);
        }
        if ((head[0] & 0xff) == 0x80 && head.length > 1 && head[1] >= 0 && head[1] <= 5) {
            throw new CheckpointException(file + " is a bare pickle, not torch.save's zip container (a legacy or"
                    + " non-torch file)." + RESAVE);
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(8, head.length); i++) {
            hex.append(String.format(" %02x", head[i] & 0xff));
        }
        throw new CheckpointException(file + " is not a PyTorch checkpoint: it does not start with a zip signature"
                + " (first bytes:" + hex + ")");
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The single top-level folder holding {@code data.pkl}, as torch's reader requires. */
    static String archiveName(Path file, ZipFile zip) throws CheckpointException {
        TreeSet<String> archives = zip.stream()
                .map(ZipEntry::getName)
                .filter(n -> n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length())
                .map(n -> n.substring(0, n.length() - "/data.pkl".length()))
                .collect(Collectors.toCollection(TreeSet::new));
        if (archives.isEmpty()) {
            String names = zip.stream().limit(5).map(ZipEntry::getName).collect(Collectors.joining(", "));
            throw new CheckpointException(file + " is a zip without an <archive>/data.pkl entry, so not a torch.save"
                    + " checkpoint (its first entries: " + (names.isEmpty() ? "none" : names) + ")");
        }
        if (archives.size() > 1) {
            throw new CheckpointException(
                    file + " holds several archives " + archives + "; torch.save writes exactly one");
        }
        return archives.first();
    }

    /** Whether {@code <archive>/byteorder} says {@code big}; absent means little (PyTorch before 1.10). */
    static boolean isBigEndian(Path file, ZipFile zip, String archive) throws CheckpointException {
        Optional<String> order = readText(zip, archive + "/byteorder");
        if (order.isEmpty() || order.get().equals("little")) {
            return false;
        }
        if (order.get().equals("big")) {
            return true;
        }
        throw new CheckpointException(
                file + ": " + archive + "/byteorder says '" + order.get() + "', expected 'little' or 'big'");
    }

    /** The trimmed UTF-8 text of a small entry, if present. */
    static Optional<String> readText(ZipFile zip, String name) throws CheckpointException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            return Optional.empty();
        }
        if (e.getSize() > 4096) {
            throw new CheckpointException(name + " is " + e.getSize() + " bytes; expected a short text");
        }
        try (InputStream in = zip.getInputStream(e)) {
            return Optional.of(new String(in.readNBytes(4096), StandardCharsets.UTF_8).trim());
        } catch (IOException ex) {
            throw new CheckpointException("cannot read " + name + ": " + ex.getMessage() + " (corrupt zip)", ex);
        }
    }

    /** {@code persistent_load}: {@code ('storage', torch.FloatStorage, key, location, numel)} to a storage. */
    static StorageRef storageOf(Object pid) throws CheckpointException {
        if (!(pid instanceof List<?> t) || t.size() != 5 || !"storage".equals(t.get(0))) {
            throw new CheckpointException("persistent id " + TorchGlobals.describe(pid)
                    + " is not ('storage', storage type, key, location, numel)");
        }
        if (!(t.get(1) instanceof TorchGlobals.StorageClass type)) {
            throw new CheckpointException("persistent id names " + TorchGlobals.describe(t.get(1))
                    + " where a typed storage class such as torch.FloatStorage belongs");
        }
        Object key = t.get(2);
        if (!(key instanceof String) && !(key instanceof Long)) {
            throw new CheckpointException("persistent id key is " + TorchGlobals.describe(key) + ", not a string");
        }
        long numel = TorchGlobals.toLong("persistent id numel", t.get(4));
        if (numel < 0) {
            throw new CheckpointException("persistent id numel is negative: " + numel);
        }
        return new StorageRef(String.valueOf(key), type.dtype(), numel, String.valueOf(t.get(3)));
    }

    /**
     * The state dict in the unpickled object: the top level itself when it maps names to tensors, else
     * the first of {@link TorchCheckpoint#NESTED_KEYS} (then any single key) holding such a map.
     *
     * @return the key used (null for the top level) and the tensors
     */
    static Map.Entry<String, Map<String, TensorRef>> stateDictOf(Object top, Path file) throws CheckpointException {
        if (!(top instanceof Map<?, ?> map)) {
            throw new CheckpointException(file + " holds a " + TorchGlobals.describe(top)
                    + ", not a state dict (a dict of name to tensor); save model.state_dict()");
        }
        Optional<Map<String, TensorRef>> direct = tensorMap(map);
        if (direct.isPresent()) {
            return new AbstractMap.SimpleImmutableEntry<>(null, direct.get());
        }
        for (String key : TorchCheckpoint.NESTED_KEYS) {
            if (map.get(key) instanceof Map<?, ?> inner) {
                Optional<Map<String, TensorRef>> nested = tensorMap(inner);
                if (nested.isPresent()) {
                    return new AbstractMap.SimpleImmutableEntry<>(key, nested.get());
                }
            }
        }
        Map.Entry<String, Map<String, TensorRef>> only = null;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getKey() instanceof String k && e.getValue() instanceof Map<?, ?> inner && !inner.isEmpty()) {
                Optional<Map<String, TensorRef>> nested = tensorMap(inner);
                if (nested.isPresent()) {
                    if (only != null) {
                        throw new CheckpointException(file + " holds several state dicts (under '" + only.getKey()
                                + "' and '" + k + "'); none is under a standard key " + TorchCheckpoint.NESTED_KEYS);
                    }
                    only = new AbstractMap.SimpleImmutableEntry<>(k, nested.get());
                }
            }
        }
        if (only != null) {
            return only;
        }
        String keys = map.entrySet().stream()
                .limit(10)
                .map(e -> e.getKey() + " (" + TorchGlobals.describe(e.getValue()) + ")")
                .collect(Collectors.joining(", "));
        throw new CheckpointException(file + " holds a dict that is not a state dict and nests none under "
                + TorchCheckpoint.NESTED_KEYS + "; its keys: " + keys);
    }

    /** The map as name to tensor, or empty when a key is not a string or a value not a tensor. */
    private static Optional<Map<String, TensorRef>> tensorMap(Map<?, ?> map) {
        Map<String, TensorRef> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof TensorRef t)) {
                return Optional.empty();
            }
            out.put(k, t);
        }
        return Optional.of(out);
    }
}
