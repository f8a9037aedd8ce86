package org.salistream.kafka;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Procedure ids as logs, console lines and exception messages may show them: {@code proc#} and the first 10
 * hex digits of the id's SHA-256, never the id itself. A procedure id can identify a patient visit (a
 * gateway may build it from an accession number), and logs travel further and live longer than the
 * topics: the hash still lets an engineer follow one procedure through the logs of every process, and
 * anyone who knows an id can find its lines ({@code sali} commands print the hash of the id they send).
 *
 * <p>A hash is not encryption: ids from a small, guessable space (sequential numbers) can be recovered by
 * trying them all. Gateways should use opaque procedure ids; the hash keeps the raw id out of log files.
 */
public final class LogIds {

    /** Hex digits kept: 40 bits, so that thousands of procedures a day do not collide in practice. */
    private static final int HEX_DIGITS = 10;

    private LogIds() {}

    /** {@code proc#<10 hex digits>} for a procedure id; {@code proc#null} for null. */
    public static String procedure(String procedureId) {
        if (procedureId == null) {
            return "proc#null";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(procedureId.getBytes(StandardCharsets.UTF_8));
            return "proc#" + HexFormat.of().formatHex(digest).substring(0, HEX_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
