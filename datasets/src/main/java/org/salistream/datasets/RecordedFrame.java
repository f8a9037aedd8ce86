package org.salistream.datasets;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import org.salistream.codec.ImageDecoding;

/**
 * One frame of a {@link RecordedProcedure}: its encoded bytes as they would travel (the file as stored
 * on disk, or a JPEG at quality 95 for a decoded video frame), their content type, the frame's size,
 * the decoded image on demand, and the ground-truth mask where the procedure has one.
 */
public final class RecordedFrame {

    /** Content type of JPEG-encoded frames. */
    public static final String JPEG = "image/jpeg";
    /** Content type of PNG-encoded frames. */
    public static final String PNG = "image/png";

    private final int index;
    private final String name;
    private final byte[] encoded;
    private final String contentType;
    private final int width;
    private final int height;
    private final GrayImage mask;
    private BufferedImage image;

    /**
     * @param index       position in the procedure, 0-based
     * @param name        frame name (file name without extension, or {@code frame00001} for video)
     * @param encoded     the encoded image; not copied
     * @param contentType {@link #JPEG} or {@link #PNG}
     * @param width       image width in pixels
     * @param height      image height in pixels
     * @param image       the decoded image when already at hand (video), else null to decode on demand
     * @param mask        the ground-truth mask, or null
     */
    public RecordedFrame(
            int index,
            String name,
            byte[] encoded,
            String contentType,
            int width,
            int height,
            BufferedImage image,
            GrayImage mask) {
        this.index = index;
        this.name = Objects.requireNonNull(name, "name");
        this.encoded = Objects.requireNonNull(encoded, "encoded");
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.width = width;
        this.height = height;
        this.image = image;
        this.mask = mask;
        if (mask != null && (mask.width() != width || mask.height() != height)) {
            throw new IllegalArgumentException("frame " + name + " is " + width + "x" + height + " but its mask is "
                    + mask.width() + "x" + mask.height());
        }
    }

    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    /** The encoded bytes (not a copy). */
    public byte[] encoded() {
        return encoded;
    }

    public String contentType() {
        return contentType;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The decoded image, decoded from {@link #encoded()} on first use. */
    public synchronized BufferedImage image() {
        if (image == null) {
            try {
                image = ImageDecoding.decode(encoded, "frame " + name + " (" + contentType + ")");
            } catch (IOException e) {
                throw new UncheckedIOException("frame " + name + " cannot be decoded", e);
            }
        }
        return image;
    }

    /** The ground-truth mask (object where above 128), when the procedure has one. */
    public Optional<GrayImage> mask() {
        return Optional.ofNullable(mask);
    }

    @Override
    public String toString() {
        return "RecordedFrame[" + index + " " + name + " " + width + "x" + height + " " + contentType
                + (mask != null ? " +mask" : "") + "]";
    }
}
