package org.salistream.live.watch;

/**
 * One frame as the viewer got it from the {@code frames} topic: the encoded image exactly as the gateway
 * sent it (shown as it is, never re-encoded) and its headers.
 *
 * @param procedureId   procedure id
 * @param index         frame index
 * @param captureMicros capture time, epoch microseconds
 * @param contentType   {@code image/jpeg} or {@code image/png}
 * @param width         pixels
 * @param height        pixels
 * @param bytes         the encoded image (held by reference)
 */
public record FrameRecord(
        String procedureId, long index, long captureMicros, String contentType, int width, int height, byte[] bytes) {

    /** Never prints the image. */
    @Override
    public String toString() {
        return "FrameRecord[#" + index + " " + width + "x" + height + " " + contentType + " " + bytes.length
                + " bytes]";
    }
}
