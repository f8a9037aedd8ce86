package org.salistream.codec;

/**
 * Bytes that are not a valid instance of a format: wrong magic, unknown version, a length past the end, a
 * bad field or trailing bytes. The message names the format and the field, in one line. Unchecked, like
 * the {@code IllegalArgumentException} it extends, because the values' {@code fromBytes} methods are
 * called where no checked exception fits (Kafka deserializers, Flink serializers wrap it).
 */
public final class CorruptFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** A message of the form "corrupt FORMAT: DETAIL". */
    public CorruptFormatException(String format, String detail) {
        super("corrupt " + format + ": " + detail);
    }

    /** A message of the form "corrupt FORMAT: DETAIL", with its cause. */
    public CorruptFormatException(String format, String detail, Throwable cause) {
        super("corrupt " + format + ": " + detail, cause);
    }
}
