package org.salistream.trainer.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.salistream.datasets.GrayImage;
import org.salistream.model.image.PilResize;
import org.salistream.model.image.Preprocessor;
import org.salistream.model.image.RgbImage;

/**
 * The published training transform of a triplet ({@code VideoDataset.__getitem__} with
 * {@code cv_random_flip}, {@code randomRotation}, {@code colorEnhance} and {@code randomPeper}), in the
 * published order, drawing from one seeded generator so that a sample's augmentation depends only on its
 * seed:
 * <ol>
 *   <li>with probability 1/2, every frame and mask flipped left-right;</li>
 *   <li>with probability 0.2 ({@code random.random() > 0.8}), every frame and mask rotated by one angle
 *       drawn from -15..14 degrees ({@code np.random.randint(-15, 15)}), bicubic, black outside;</li>
 *   <li>each frame (not the masks) with its own brightness and contrast factors from 0.5..1.5, colour from
 *       0..2 and sharpness from 0..3 (tenths);</li>
 *   <li>each mask with pepper noise: {@code int(0.0015 H W)} random pixels set to 0 or 255;</li>
 *   <li>frames resized to S x S with Pillow's bilinear filter and normalised, masks resized likewise
 *       ({@code transforms.Resize} on an 'L' image) and scaled to [0, 1].</li>
 * </ol>
 */
public final class TripletAugmenter {

    /** The published rotation probability is {@code random.random() > 0.8}. */
    public static final double ROTATION_THRESHOLD = 0.8;
    /** Pepper noise pixels per mask pixel. */
    public static final double PEPPER_DENSITY = 0.0015;

    private final int size;
    private final Preprocessor preprocessor;
    private final boolean augment;

    /**
     * A transform to S x S.
     *
     * @param augment false to only resize and normalise (no flip, rotation, colour or pepper)
     */
    public TripletAugmenter(int size, float[] mean, float[] std, boolean augment) {
        this.size = size;
        this.preprocessor = new Preprocessor(size, mean, std);
        this.augment = augment;
    }

    /** The output size S. */
    public int size() {
        return size;
    }

    /**
     * Transforms a triplet.
     *
     * @param frames memory, current, neighbour
     * @param masks the memory frame's and the current frame's masks
     */
    public TrainSample apply(List<RgbImage> frames, List<GrayImage> masks, SplittableRandom rng) {
        if (frames.size() != 3 || masks.size() != 2) {
            throw new IllegalArgumentException(
                    "a triplet has three frames and two masks, got " + frames.size() + " and " + masks.size());
        }
        List<RgbImage> imgs = new ArrayList<>(frames);
        List<GrayImage> gts = new ArrayList<>(masks);
        if (augment) {
            if (rng.nextInt(2) == 1) { // cv_random_flip: random.randint(0, 1)
                imgs.replaceAll(PilImages::flip);
                gts.replaceAll(PilImages::flip);
            }
            if (rng.nextDouble() > ROTATION_THRESHOLD) { // randomRotation
                int angle = rng.nextInt(-15, 15); // np.random.randint(-15, 15): -15..14
                imgs.replaceAll(img -> PilRotate.rotate(img, angle));
                gts.replaceAll(gt -> PilRotate.rotate(gt, angle));
            }
            imgs.replaceAll(img -> colorEnhance(img, rng));
            gts.replaceAll(gt -> pepper(gt, rng));
        }
        float[][] x = new float[3][];
        for (int i = 0; i < 3; i++) {
            x[i] = preprocessor.apply(imgs.get(i)); // (3, S, S)
        }
        return new TrainSample(x[0], x[1], x[2], mask(gts.get(0)), mask(gts.get(1)), size);
    }

    /** The published {@code colorEnhance} of one frame: brightness, contrast, colour, sharpness. */
    static RgbImage colorEnhance(RgbImage img, SplittableRandom rng) {
        RgbImage out = PilEnhance.brightness(img, rng.nextInt(5, 16) / 10.0);
        out = PilEnhance.contrast(out, rng.nextInt(5, 16) / 10.0);
        out = PilEnhance.color(out, rng.nextInt(0, 21) / 10.0);
        return PilEnhance.sharpness(out, rng.nextInt(0, 31) / 10.0);
    }

    /** The published {@code randomPeper}: {@code int(0.0015 H W)} pixels set to black or white. */
    static GrayImage pepper(GrayImage gt, SplittableRandom rng) {
        int h = gt.height();
        int w = gt.width();
        byte[] px = gt.pixels().clone();
        int n = (int) (PEPPER_DENSITY * h * w);
        for (int i = 0; i < n; i++) {
            int row = rng.nextInt(h);
            int col = rng.nextInt(w);
            px[row * w + col] = rng.nextInt(2) == 0 ? 0 : (byte) 255;
        }
        return new GrayImage(w, h, px);
    }

    /** {@code transforms.Resize((S, S))} then {@code ToTensor()} of an 'L' mask: (S, S) in [0, 1]. */
    float[] mask(GrayImage gt) {
        byte[] px = gt.width() == size && gt.height() == size
                ? gt.pixels()
                : PilResize.resize(gt.pixels(), gt.width(), gt.height(), 1, size, size);
        float[] out = new float[size * size];
        for (int i = 0; i < out.length; i++) {
            out[i] = (px[i] & 0xFF) / 255f;
        }
        return out;
    }
}
