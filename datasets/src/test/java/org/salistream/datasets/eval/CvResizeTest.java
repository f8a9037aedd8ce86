package org.salistream.datasets.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.salistream.datasets.GrayImage;

/**
 * OpenCV's fixed-point INTER_LINEAR for 8-bit images, with expected values worked out by hand from the
 * algorithm (weights {@code round(f * 2048)}, horizontal sums kept as int, vertical
 * {@code ((b0 * (S0 >> 4)) >> 16) + ((b1 * (S1 >> 4)) >> 16) + 2) >> 2}); each was also checked against
 * cv2.resize of opencv-python 4.14.
 */
class CvResizeTest {

    private static GrayImage img(int w, int h, int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return new GrayImage(w, h, b);
    }

    private static int[] values(GrayImage g) {
        int[] out = new int[g.pixels().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = g.pixels()[i] & 0xFF;
        }
        return out;
    }

    @Test
    void widthFourFromTwoClampsTheBorderColumnsAndInterpolatesTheInnerOnes() {
        // scale = 0.5. dx=0: fx=-0.25 -> clamped to column 0, weights (2048, 0) -> S = 0.
        // dx=1: fx=0.25 -> (1536, 512) -> S = 255*512 = 130560; rows identical (height 1, beta (2048, 0)):
        //   (2048 * (130560 >> 4)) >> 16 = 255; (255 + 0 + 2) >> 2 = 64.
        // dx=2: fx=0.75 -> (512, 1536) -> S = 391680 -> 765 -> (765 + 2) >> 2 = 191.
        // dx=3: fx=1.25 -> at the last column, clamped -> 255.
        assertArrayEquals(new int[] {0, 64, 191, 255}, values(CvResize.resize(img(2, 1, 0, 255), 4, 1)));
    }

    @Test
    void heightFourFromTwoKeepsTheFractionAndClampsTheRowsInstead() {
        // dy=0: fy=-0.25 -> sy=-1, fraction 0.75 kept, both rows clamp to row 0 (value 0) -> 0.
        // dy=1: fy=0.25 -> rows 0,1 with (1536, 512): (512 * (522240 >> 4)) >> 16 = 255 -> 64.
        // dy=2: -> 191. dy=3: fy=1.25 -> rows 1 and 2 -> 1 (clamped): (765 + 255 + 2) >> 2 = 255.
        assertArrayEquals(new int[] {0, 64, 191, 255}, values(CvResize.resize(img(1, 2, 0, 255), 1, 4)));
    }

    @Test
    void upscalingTwoByTwoToThreeByThreeRoundsAsOpenCvNotAsTheTextbook() {
        // Top middle: fx = 0.5 -> (1024, 1024): S = (95 + 130) * 1024 = 230400 on both (clamped) rows;
        // fy = -1/6 -> sy = -1, fraction 0.8333 -> beta (round(0.1667*2048), round(0.8333*2048)) = (341, 1707):
        // (341 * 14400) >> 16 = 74, (1707 * 14400) >> 16 = 375, (74 + 375 + 2) >> 2 = 112.
        // The textbook rounding (S0*b0 + S1*b1 + 2^21) >> 22 gives 113 here; cv2 gives 112.
        // Bottom middle: (194 + 217) * 1024 = 420864 -> fy = 1.1667 -> rows 1, 1 with (1707, 341) -> 205.
        int[] expected = {95, 112, 130, 145, 159, 174, 194, 205, 217};
        assertArrayEquals(expected, values(CvResize.resize(img(2, 2, 95, 130, 194, 217), 3, 3)));
    }

    @Test
    void downscalingByTwoAveragesBlocksWithRounding() {
        // fx = 0.5 everywhere: weights (1024, 1024) both ways, which is (a + b + c + d + 2) >> 2 (OpenCV
        // switches to its area path here; the result is the same).
        GrayImage src = img(4, 2, 10, 20, 30, 41, 50, 60, 70, 80);
        assertArrayEquals(new int[] {35, 55}, values(CvResize.resize(src, 2, 1)));
    }

    @Test
    void sameSizeIsReturnedUnchanged() {
        GrayImage src = img(2, 2, 1, 2, 3, 4);
        assertSame(src, CvResize.resize(src, 2, 2));
    }
}
