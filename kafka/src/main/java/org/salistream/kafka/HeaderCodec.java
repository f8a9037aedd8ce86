package org.salistream.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Strict encoding and decoding of header values (decimal ASCII integers, UTF-8 text), shared by
 * {@link FrameHeaders}, {@link DeadLetters} and the key codec in {@link Topics}. Failures are
 * {@link BadHeader}s carrying whether the header was missing or invalid and a message naming it.
 */
final class HeaderCodec {

    /** Longest decimal we accept: Long.MAX_VALUE has 19 digits. */
    private static final int MAX_DIGITS = 19;

    private static final int QUOTE_LIMIT = 40;

    private HeaderCodec() {}

    /** A header that is missing, repeated or malformed. */
    static final class BadHeader extends Exception {
        final String header;
        final boolean missing;

        BadHeader(String header, boolean missing, String message) {
            super(message, null, false, false);
            this.header = header;
            this.missing = missing;
        }
    }

    static byte[] decimal(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The one value of {@code name}, or null when absent; a repeated header is invalid (which one would count?). */
    static byte[] single(Headers headers, String name) throws BadHeader {
        byte[] found = null;
        int count = 0;
        for (Header h : headers.headers(name)) {
            found = h.value();
            count++;
        }
        if (count > 1) {
            throw new BadHeader(name, false, "header '" + name + "' appears " + count + " times; it must appear once");
        }
        if (count == 1 && found == null) {
            throw new BadHeader(name, false, "header '" + name + "' has a null value");
        }
        return found;
    }

    static byte[] required(Headers headers, String name) throws BadHeader {
        byte[] value = single(headers, name);
        if (value == null) {
            throw new BadHeader(name, true, "missing header '" + name + "'");
        }
        return value;
    }

    /**
     * Parses a strict decimal ASCII integer in {@code [min, max]}: digits only, no '+', no spaces, no leading
     * zeros; a leading '-' only when {@code min} is negative.
     */
    static long parseDecimal(String name, byte[] value, long min, long max) throws BadHeader {
        int n = value.length;
        boolean negative = n > 0 && value[0] == '-';
        int start = negative ? 1 : 0;
        boolean wellFormed = n > start && n - start <= MAX_DIGITS && (negative ? min < 0 : true);
        for (int i = start; wellFormed && i < n; i++) {
            wellFormed = value[i] >= '0' && value[i] <= '9';
        }
        if (wellFormed && value[start] == '0' && (n - start > 1 || negative)) {
            wellFormed = false; // "007" or "-0": one spelling per number keeps the contract unambiguous
        }
        if (!wellFormed) {
            throw new BadHeader(
                    name,
                    false,
                    "header '" + name + "' is " + quote(value)
                            + "; expected a decimal ASCII integer (digits only, no sign, spaces or leading zeros)");
        }
        long parsed;
        try {
            parsed = Long.parseLong(new String(value, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new BadHeader(
                    name, false, "header '" + name + "' is " + quote(value) + "; it does not fit in 64 bits");
        }
        if (parsed < min || parsed > max) {
            throw new BadHeader(name, false, "header '" + name + "' is " + parsed + "; expected " + min + ".." + max);
        }
        return parsed;
    }

    /** Decodes strict UTF-8 text of 1..maxBytes bytes without control characters. */
    static String parseText(String name, byte[] value, int maxBytes) throws BadHeader {
        if (value.length == 0 || value.length > maxBytes) {
            throw new BadHeader(
                    name, false, "header '" + name + "' has " + value.length + " bytes; expected 1.." + maxBytes);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BadHeader(name, false, "header '" + name + "' is " + quote(value) + "; it is not valid UTF-8");
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw new BadHeader(
                    name, false, "header '" + name + "' is " + quote(value) + "; control characters are not allowed");
        }
        return text;
    }

    /** A short printable rendering of a header value for error messages (never the whole of a large value). */
    static String quote(byte[] value) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < Math.min(value.length, QUOTE_LIMIT); i++) {
            int b = value[i] & 0xFF;
            if (b >= 0x20 && b < 0x7F && b != '\'' && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        if (value.length > QUOTE_LIMIT) {
            sb.append("...(").append(value.length).append(" bytes)");
        }
        return sb.append('\'').toString();
    }

    /** Validates text the way {@link #parseText} would, for values we are about to write. */
    static String requireText(String what, String text, int maxBytes) {
        if (text == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        byte[] encoded = utf8(text);
        int bytes = encoded.length;
        if (bytes == 0 || bytes > maxBytes) {
            throw new IllegalArgumentException(what + " has " + bytes + " bytes in UTF-8; expected 1.." + maxBytes);
        }
        // An unpaired surrogate does not survive a UTF-8 round trip; control characters break logs and headers.
        if (text.chars().anyMatch(Character::isISOControl)
                || !new String(encoded, StandardCharsets.UTF_8).equals(text)) {
            throw new IllegalArgumentException(what + " contains control characters or unpaired surrogates");
        }
        return text;
    }
}
