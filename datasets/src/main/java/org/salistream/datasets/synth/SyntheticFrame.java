package org.salistream.datasets.synth;

import java.awt.image.BufferedImage;
import org.salistream.datasets.GrayImage;

/**
 * One synthetic colonoscopy frame: the RGB image, its exact binary mask (255 where the first surface a
 * pixel's ray meets is a polyp, inside the field of view; 0 elsewhere) and the frame's truth.
 */
public record SyntheticFrame(FrameInfo info, BufferedImage image, GrayImage mask) {

    public int index() {
        return info.index();
    }
}
