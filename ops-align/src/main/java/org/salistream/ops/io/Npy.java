package org.salistream.ops.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads and writes NumPy's {@code .npy} format (versions 1.0 to 3.0, C order, little-endian) and reads
 * {@code .npz} archives (stored or deflated zip files of {@code .npy} entries), as described in
 * {@code numpy.lib.format}.
 *
 * <p>This is how the project exchanges tensors with Python: the golden reference outputs are {@code .npz}
 * files, and {@code sali segment --save-logits} writes {@code .npy} files that {@code numpy.load} reads.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** Reads one {@code .npy} file. */
    public static NpyArray read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads one {@code .npy} stream.
     *
     * @param source named in error messages
     */
    public static NpyArray read(InputStream stream, String source) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(stream));
        byte[] magic = new byte[6];
        try {
            in.readFully(magic);
        } catch (EOFException e) {
            throw new IOException(source + ": not an .npy file (shorter than its magic string)", e);
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw new IOException(source + ": not an .npy file (bad magic string)");
            }
        }
        int major = in.readUnsignedByte();
        in.readUnsignedByte(); // minor version: no format difference for us
        int headerLen;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
        } else if (major == 2 || major == 3) {
            headerLen = Integer.reverseBytes(in.readInt());
        } else {
            throw new IOException(source + ": unsupported .npy version " + major);
        }
        byte[] headerBytes = new byte[headerLen];
        in.readFully(headerBytes);
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        String descr = group(DESCR, header, source, "descr");
        if (descr.equals("<u1") || descr.equals("=u1")) {
            descr = "|u1";
        }
        if (descr.startsWith(">")) {
            throw new IOException(source + ": big-endian dtype " + descr + " is not supported");
        }
        if (group(FORTRAN, header, source, "fortran_order").equals("True")) {
            throw new IOException(source + ": Fortran-ordered arrays are not supported");
        }
        String shapeText = group(SHAPE, header, source, "shape").trim();
        List<Long> dims = new ArrayList<>();
        for (String part : shapeText.split(",")) {
            if (!part.isBlank()) {
                dims.add(Long.parseLong(part.trim().replace("L", "")));
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        long bytes;
        try {
            bytes = count * NpyArray.itemSize(descr);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
        if (bytes > Integer.MAX_VALUE) {
            throw new IOException(source + ": array of " + bytes + " bytes is too large");
        }
        byte[] data = new byte[(int) bytes];
        try {
            in.readFully(data);
        } catch (EOFException e) {
            throw new IOException(source + ": truncated .npy data (expected " + bytes + " bytes)", e);
        }
        return new NpyArray(descr, shape, ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN));
    }

    /** Writes one {@code .npy} file (version 1.0). */
    public static void write(Path file, NpyArray array) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out, array);
        }
    }

    /** Writes one {@code .npy} stream (version 1.0). */
    public static void write(OutputStream out, NpyArray array) throws IOException {
        StringBuilder shape = new StringBuilder("(");
        long[] dims = array.shape();
        for (int i = 0; i < dims.length; i++) {
            shape.append(dims[i]);
            if (dims.length == 1 || i < dims.length - 1) {
                shape.append(dims.length == 1 ? "," : ", ");
            }
        }
        shape.append(')');
        String dict = "{'descr': '" + array.dtype() + "', 'fortran_order': False, 'shape': " + shape + ", }";
        // The magic, version and length take 10 bytes; the header is padded with spaces and ends with a
        // newline so that the data starts on a 64-byte boundary, as numpy.lib.format writes it.
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.write(MAGIC);
        head.write(1);
        head.write(0);
        int len = header.length();
        head.write(len & 0xFF);
        head.write((len >>> 8) & 0xFF);
        head.write(header.getBytes(StandardCharsets.ISO_8859_1));
        out.write(head.toByteArray());
        ByteBuffer data = array.data();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        out.write(bytes);
    }

    /**
     * Reads every array of an {@code .npz} archive, keyed by name without the {@code .npy} suffix, in the
     * archive's order.
     */
    public static Map<String, NpyArray> readNpz(Path file) throws IOException {
        Map<String, NpyArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            for (ZipEntry entry : Collections.list(entries)) {
                String name = entry.getName();
                if (entry.isDirectory()) {
                    continue;
                }
                String key = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
                try (InputStream in = zip.getInputStream(entry)) {
                    out.put(key, read(in, file + "!" + name));
                }
            }
        }
        return out;
    }

    private static String group(Pattern p, String header, String source, String what) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(source + ": .npy header has no '" + what + "': " + header.trim());
        }
        return m.group(1);
    }
}
