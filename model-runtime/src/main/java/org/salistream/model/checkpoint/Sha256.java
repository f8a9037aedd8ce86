package org.salistream.model.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 digests as lowercase hex (what {@code sha256sum} prints), of files streamed in 1 MiB blocks so
 * that a 350 MB checkpoint never sits in memory for hashing. Used to pin the checkpoint a native model
 * file was converted from.
 */
public final class Sha256 {

    private static final int BLOCK = 1 << 20;

    private Sha256() {}

    /** The digest of a file's content. */
    public static String ofFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return ofStream(in);
        }
    }

    /** The digest of everything left in a stream (not closed here). */
    public static String ofStream(InputStream in) throws IOException {
        MessageDigest md = newDigest();
        byte[] buf = new byte[BLOCK];
        for (int n; (n = in.read(buf)) >= 0; ) {
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The digest of bytes. */
    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest's documented requirements).
            throw new IllegalStateException(e);
        }
    }
}
