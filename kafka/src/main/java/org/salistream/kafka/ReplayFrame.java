package org.salistream.kafka;

import java.util.Objects;

/**
 * One recorded frame to replay: its index in the procedure, the encoded image and what it is.
 *
 * @param index       frame index, {@code >= 0}, increasing along the replay
 * @param bytes       encoded JPEG or PNG bytes (held by reference: do not change them while replaying)
 * @param contentType {@link FrameHeaders#JPEG} or {@link FrameHeaders#PNG}
 * @param width       width in pixels
 * @param height      height in pixels
 */
public record ReplayFrame(long index, byte[] bytes, String contentType, int width, int height) {

    /** Validates the fields (same rules as {@link FrameHeaders}). */
    public ReplayFrame {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length == 0) {
            throw new IllegalArgumentException("frame " + index + " has no bytes");
        }
        if (index < 0) {
            throw new IllegalArgumentException("frame index must be >= 0, got " + index);
        }
        if (!FrameHeaders.CONTENT_TYPES.contains(contentType)) {
            throw new IllegalArgumentException("content type must be " + FrameHeaders.JPEG + " or " + FrameHeaders.PNG
                    + ", got '" + contentType + "'");
        }
        if (width < 1 || width > FrameHeaders.MAX_DIMENSION || height < 1 || height > FrameHeaders.MAX_DIMENSION) {
            throw new IllegalArgumentException(
                    "frame size must be within 1.." + FrameHeaders.MAX_DIMENSION + ", got " + width + "x" + height);
        }
    }

    /** Never prints the bytes, only their count. */
    @Override
    public String toString() {
        return "ReplayFrame[" + index + " " + contentType + " " + width + "x" + height + " " + bytes.length + " bytes]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplayFrame
                && ((ReplayFrame) o).index == index
                && ((ReplayFrame) o).width == width
                && ((ReplayFrame) o).height == height
                && ((ReplayFrame) o).contentType.equals(contentType)
                && java.util.Arrays.equals(((ReplayFrame) o).bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, contentType, width, height) * 31 + java.util.Arrays.hashCode(bytes);
    }
}
