package org.salistream.datasets;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.salistream.codec.ImageDecoding;

/**
 * One frame of a SUN-SEG case: its image ({@code Frame/<case>/<name>.jpg}) and, where the split has
 * annotations, its mask ({@code GT/<case>/<name>.png}).
 *
 * @param caseId the case folder name
 * @param index  position in the case, 0-based, in the published loader's order
 * @param name   file name without extension
 * @param image  the image file
 * @param mask   the mask file, or null where the split has no GT folder
 */
public record SunSegFrame(String caseId, int index, String name, Path image, Path mask) {

    /** The image as stored (RGB for SUN-SEG's JPEGs). */
    public BufferedImage readImage() throws IOException {
        return ImageDecoding.read(image);
    }

    /** The mask as the toolbox reads it (8-bit grey), when there is one. */
    public Optional<GrayImage> readMask() throws IOException {
        return mask == null ? Optional.empty() : Optional.of(GrayImage.read(mask));
    }
}
