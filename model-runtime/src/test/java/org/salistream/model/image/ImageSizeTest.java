package org.salistream.model.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The declared size of JPEG and PNG frames, read from their headers alone. */
class ImageSizeTest {

    private static byte[] encode(int w, int h, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR), format, out);
        return out.toByteArray();
    }

    @Test
    void jpegAndPngDeclareTheirSize() throws IOException {
        assertEquals(new ImageSize(320, 240), ImageSize.read(encode(320, 240, "jpg"), "a"));
        assertEquals(new ImageSize(17, 5), ImageSize.read(encode(17, 5, "png"), "b"));
        assertEquals(76_800L, new ImageSize(320, 240).pixels());
        assertEquals(16384L * 16384L, new ImageSize(16384, 16384).pixels(), "no int overflow");
    }

    @Test
    void aPngCutAfterItsHeaderStillDeclaresItsSize() throws IOException {
        byte[] png = encode(640, 480, "png");
        assertEquals(new ImageSize(640, 480), ImageSize.read(Arrays.copyOf(png, 33), "cut"), "signature + IHDR only");
    }

    @Test
    void bytesThatAreNoImageAreRefusedNamingTheSource() {
        IOException e = assertThrows(IOException.class, () -> ImageSize.read("not an image".getBytes(), "frame 3"));
        assertTrue(e.getMessage().startsWith("frame 3: "), e.getMessage());
    }
}
