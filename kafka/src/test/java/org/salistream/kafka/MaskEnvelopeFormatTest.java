package org.salistream.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A {@code masks} record value as the first release wrote it (version 1, big-endian). Consumers outside this
 * project parse that layout (kafka/README.md), and records of that release stay on the topic for its retention:
 * the reader must decode them, and the writer must still write exactly these bytes. The fixture under
 * {@code src/test/resources/formats} was written once by that release ({@code -Dsali.write-format-fixtures=true}).
 */
class MaskEnvelopeFormatTest {

    private static final String V1 = "formats/mask-envelope-v1.bin";

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = MaskEnvelopeFormatTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    @Test
    void aMaskRecordOfTheFirstReleaseDecodesToTheSameEnvelope() throws IOException {
        MaskEnvelope back = MaskEnvelopeSerde.decode(resource(V1));
        MaskEnvelope m = MaskEnvelopeSerdeTest.sample();
        assertEquals(m, back);
        assertArrayEquals(m.maskPng(), back.maskPng());
    }

    @Test
    void theWriterStillWritesTheFirstReleasesBytes() throws IOException {
        assertArrayEquals(resource(V1), MaskEnvelopeSerde.encode(MaskEnvelopeSerdeTest.sample()));
    }

    @Test
    @EnabledIfSystemProperty(named = "sali.write-format-fixtures", matches = "true")
    void writesTheFixtureWithThisBuildsWriter() throws IOException {
        Path file = Path.of("src/test/resources").resolve(V1);
        Files.write(file, MaskEnvelopeSerde.encode(MaskEnvelopeSerdeTest.sample()));
        assertEquals(MaskEnvelopeSerdeTest.sample(), MaskEnvelopeSerde.decode(Files.readAllBytes(file)));
    }
}
