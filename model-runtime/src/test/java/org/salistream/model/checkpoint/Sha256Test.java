package org.salistream.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FIPS 180-2 test vectors through every entry point of {@link Sha256}. */
class Sha256Test {

    @TempDir
    Path dir;

    @Test
    void standardVectorsHashToTheirPublishedDigests() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256.of(new byte[0]));
        assertEquals(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                Sha256.of("abc".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
                Sha256.of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
                        .getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aMillionAsStreamedFromAFileOrInDribsGiveTheSameDigest() throws IOException {
        byte[] million = new byte[1_000_000];
        Arrays.fill(million, (byte) 'a');
        String expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
        assertEquals(expected, Sha256.ofFile(Files.write(dir.resolve("a.bin"), million)));
        // A stream that hands out 7 bytes per read, to cross block boundaries at odd places.
        InputStream dribs = new ByteArrayInputStream(million) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };
        assertEquals(expected, Sha256.ofStream(dribs));
    }
}
