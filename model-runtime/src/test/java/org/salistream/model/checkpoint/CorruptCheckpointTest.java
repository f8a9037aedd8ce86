package org.salistream.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.ops.testing.Golden;

/** Every broken input ends in a {@link CheckpointException} whose message says what is wrong; nothing else escapes. */
class CorruptCheckpointTest {

    @TempDir
    Path dir;

    private static PthWriter valid() {
        return new PthWriter("archive")
                .floatStorage("0", 1, 2, 3, 4, 5, 6)
                .floatStorage("1", 7, 8)
                .tensor("conv.weight", "0", 2, 3)
                .tensor("conv.bias", "1", 2);
    }

    private String failure(byte[] fileContent) throws IOException {
        Path f = Files.write(dir.resolve("bad.pth"), fileContent);
        CheckpointException e = assertThrows(CheckpointException.class, () -> TorchCheckpoint.loadStateDict(f));
        return e.getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "expected '" + p + "' in: " + message);
        }
    }

    @Test
    void aTruncatedFileIsReportedAsATruncatedZip() throws IOException {
        byte[] whole = PthWriter.zip(valid().entries());
        assertMentions(failure(Arrays.copyOf(whole, whole.length / 2)), "truncated or corrupt zip");
        assertMentions(failure(Arrays.copyOf(whole, whole.length - 1)), "truncated or corrupt zip");
    }

    @Test
    void theGoldenCheckpointCutShortIsReportedAsTruncated() throws IOException {
        Path golden = Golden.require("sali-b0-352/weights.pth");
        byte[] head;
        try (InputStream in = Files.newInputStream(golden)) {
            head = in.readNBytes(10 << 20);
        }
        assertMentions(failure(head), "truncated or corrupt zip", "SHA-256");
    }

    @Test
    void randomBytesAreNotACheckpoint() throws IOException {
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        noise[0] = 0x13;
        assertMentions(failure(noise), "not a PyTorch checkpoint", "zip signature");
        assertMentions(failure(new byte[0]), "empty");
    }

    @Test
    void aMissingFileSaysSo() {
        Path f = dir.resolve("nowhere.pth");
        CheckpointException e = assertThrows(CheckpointException.class, () -> TorchCheckpoint.open(f));
        assertMentions(e.getMessage(), "does not exist");
    }

    @Test
    void aLegacyFileIsRefusedWithTheWayToResaveIt() throws IOException {
        byte[] legacy = {
            (byte) 0x80,
            0x02,
            (byte) 0x8a,
            0x0a,
            0x6c,
            (byte) 0xfc,
            (byte) 0x9c,
            0x46,
            (byte) 0xf9,
            0x20,
            0x6a,
            (byte) 0xa8,
            0x50,
            0x19,
            0x2e,
            0x00
        };
        assertMentions(failure(legacy), "legacy", "before 1.6", "Re-save", "torch.save(torch.load(");
    }

    @Test
    void aZipWithoutDataPklIsNotATorchCheckpoint() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("model/weights.bin", new byte[16]);
        entries.put("README", "hello".getBytes(StandardCharsets.US_ASCII));
        assertMentions(failure(PthWriter.zip(entries)), "without an <archive>/data.pkl", "model/weights.bin");
    }

    @Test
    void aStorageShorterThanTheViewIsRefused() throws IOException {
        byte[] f = PthWriter.zip(valid().entry("data/0", new byte[5 * 4]).entries());
        assertMentions(
                failure(f),
                "'conv.weight'",
                "reaches storage element 5",
                "holds only 5 elements",
                "too short for the view");
    }

    @Test
    void aViewPastItsDeclaredStorageIsRefused() throws IOException {
        byte[] f = PthWriter.zip(new PthWriter("archive")
                .floatStorage("0", 1, 2, 3)
                .view("w", "0", 2, new long[] {2}, new long[] {1})
                .entries());
        assertMentions(failure(f), "'w'", "too short for the view");
    }

    @Test
    void aMissingStorageEntryIsNamed() throws IOException {
        byte[] f = PthWriter.zip(valid().entry("data/1", null).entries());
        assertMentions(failure(f), "archive/data/1", "'conv.bias'", "missing");
    }

    @Test
    void aDisallowedGlobalIsRefusedWithoutRunningIt() throws IOException {
        for (String global :
                new String[] {"os\nsystem\n", "posix\nsystem\n", "__builtin__\neval\n", "subprocess\ncheck_output\n"}) {
            PthWriter.Pickler p = new PthWriter.Pickler();
            p.op(0x80).op(2).op('c');
            p.out.writeBytes(global.getBytes(StandardCharsets.US_ASCII));
            p.put(null).unicode("touch /tmp/pwned").op(0x85).op('R').op('.');
            byte[] f =
                    PthWriter.zip(valid().entry("data.pkl", p.out.toByteArray()).entries());
            String qualified = global.trim().replace("__builtin__", "builtins").replace('\n', '.');
            assertMentions(failure(f), "'" + qualified + "'", "not on the allow-list", "weights_only");
        }
    }

    @Test
    void aTruncatedPickleIsCorrupt() throws IOException {
        byte[] pkl = valid().pickle();
        byte[] f = PthWriter.zip(
                valid().entry("data.pkl", Arrays.copyOf(pkl, pkl.length / 2)).entries());
        assertMentions(failure(f), "data.pkl", "at byte");
    }

    @Test
    void anUnsupportedOpcodeIsNamed() throws IOException {
        // INST ('i') builds an arbitrary class instance: never part of a state dict.
        byte[] pkl = "\u0080\u0002ios\nsystem\n.".getBytes(StandardCharsets.ISO_8859_1);
        assertMentions(
                failure(PthWriter.zip(valid().entry("data.pkl", pkl).entries())), "unsupported pickle opcode INST");
        byte[] ext = {(byte) 0x80, 2, (byte) 0x82, 1, '.'};
        assertMentions(failure(PthWriter.zip(valid().entry("data.pkl", ext).entries())), "EXT");
        byte[] proto9 = {(byte) 0x80, 9, 'N', '.'};
        assertMentions(failure(PthWriter.zip(valid().entry("data.pkl", proto9).entries())), "protocol 9");
    }

    @Test
    void aPickleOfSomethingElseThanAStateDictIsRefused() throws IOException {
        byte[] list = {(byte) 0x80, 2, ']', 'K', 1, 'a', '.'};
        assertMentions(failure(PthWriter.zip(valid().entry("data.pkl", list).entries())), "not a state dict");
        byte[] dict = {(byte) 0x80, 2, '}', 'X', 1, 0, 0, 0, 'a', 'K', 1, 's', '.'};
        assertMentions(
                failure(PthWriter.zip(valid().entry("data.pkl", dict).entries())), "not a state dict", "a (Long)");
    }

    @Test
    void everyTruncationAndByteFlipOfAPickleFailsOnlyWithCheckpointException() throws CheckpointException {
        byte[] pkl = valid().nestUnder("state_dict").pickle();
        for (int cut = 0; cut < pkl.length; cut++) {
            byte[] b = Arrays.copyOf(pkl, cut);
            assertThrows(CheckpointException.class, () -> PickleMachine.load(b, "cut", CheckpointFormat::storageOf));
        }
        Random r = new Random(7);
        for (int i = 0; i < 3000; i++) {
            byte[] b = pkl.clone();
            b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            try {
                PickleMachine.load(b, "flip", CheckpointFormat::storageOf);
            } catch (CheckpointException expected) {
                assertTrue(expected.getMessage().startsWith("flip: "), expected.getMessage());
            }
        }
    }
}
