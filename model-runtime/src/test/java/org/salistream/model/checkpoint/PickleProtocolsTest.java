package org.salistream.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pickles written by CPython's own {@code pickle} module (not by our writer), so the machine is checked
 * against the reference encoder for protocols 2, 4 and 5. They were produced once with
 * {@code pickle.Pickler(f, protocol=p)} plus a {@code persistent_id} returning
 * {@code ('storage', torch.FloatStorage, '0', 'cpu', 6)}, with stand-in {@code torch} modules, from
 * {@code {'epoch': 12, 'best': 0.873, 'tags': {'a', 'b'}, 'fz': frozenset({1}), 'blob': b'\x00\x01\xff',
 * 'big': 2**70, 'neg': -5, 'none': None, 'ok': True, 'list': [1, 2, 3], 'model': OrderedDict(
 * conv.weight=Parameter(w.t()), bn.num_batches_tracked=tensor(42))}}: protocol 4 adds FRAME,
 * SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL, EMPTY_SET/ADDITEMS, FROZENSET, SHORT_BINBYTES; protocol 2 writes
 * sets and bytes through {@code __builtin__.set} and {@code _codecs.encode}. Protocol 5 is the same bytes
 * as 4 with the PROTO byte changed (CPython only adds opcodes for out-of-band buffers).
 */
class PickleProtocolsTest {

    private static final String PROTOCOL_4 = ""
            + "8004959c010000000000007d94288c0565706f6368944b0c8c046265737494473febef9db22d0e568c0474616773948f9428"
            + "8c0161948c016294908c02667a94284b0191948c04626c6f629443030001ff948c03626967948a090000000000000000408c"
            + "036e6567944afbffffff8c046e6f6e65944e8c026f6b94888c046c697374945d94284b014b024b03658c056d6f64656c948c"
            + "0b636f6c6c656374696f6e73948c0b4f72646572656444696374949394295294288c0b636f6e762e776569676874948c0c74"
            + "6f7263682e5f7574696c73948c125f72656275696c645f706172616d6574657294939468178c125f72656275696c645f7465"
            + "6e736f725f763294939428288c0773746f72616765948c05746f726368948c0c466c6f617453746f726167659493948c0130"
            + "948c03637075944b067494514b004b024b0386944b014b02869489681429529474945294886814295294879452948c16626e"
            + "2e6e756d5f626174636865735f747261636b656494681b2828681c681d8c0b4c6f6e6753746f726167659493948c01319468"
            + "214b017494514b0029298968142952947494529475752e";
    private static final String PROTOCOL_2 = ""
            + "80027d710028580500000065706f636871014b0c5804000000626573747102473febef9db22d0e5658040000007461677371"
            + "03635f5f6275696c74696e5f5f0a7365740a71045d7105285801000000617106580100000062710765857108527109580200"
            + "0000667a710a635f5f6275696c74696e5f5f0a66726f7a656e7365740a710b5d710c4b016185710d52710e5804000000626c"
            + "6f62710f635f636f646563730a656e636f64650a711058040000000001c3bf711158060000006c6174696e31711286711352"
            + "7114580300000062696771158a0900000000000000004058030000006e656771164afbffffff58040000006e6f6e6571174e"
            + "58020000006f6b71188858040000006c69737471195d711a284b014b024b036558050000006d6f64656c711b63636f6c6c65"
            + "6374696f6e730a4f726465726564446963740a711c2952711d28580b000000636f6e762e776569676874711e63746f726368"
            + "2e5f7574696c730a5f72656275696c645f706172616d657465720a711f63746f7263682e5f7574696c730a5f72656275696c"
            + "645f74656e736f725f76320a71202828580700000073746f72616765712163746f7263680a466c6f617453746f726167650a"
            + "71225801000000307123580300000063707571244b06747125514b004b024b038671264b014b0286712789681c2952712874"
            + "712952712a88681c2952712b87712c52712d5816000000626e2e6e756d5f626174636865735f747261636b6564712e682028"
            + "28682163746f7263680a4c6f6e6753746f726167650a712f580100000031713068244b01747131514b00292989681c295271"
            + "3274713352713475752e";

    @TempDir
    Path dir;

    private static byte[] pickle(String hex, int protocol) {
        byte[] b = HexFormat.of().parseHex(hex);
        b[1] = (byte) protocol;
        return b;
    }

    @Test
    void cpythonPicklesOfEveryProtocolLoadTheNestedStateDict() throws IOException {
        for (int protocol : new int[] {2, 4, 5}) {
            byte[] pkl = pickle(protocol == 2 ? PROTOCOL_2 : PROTOCOL_4, protocol);
            Path f = new PthWriter("archive")
                    .floatStorage("0", 0, 1, 2, 3, 4, 5)
                    .longStorage("1", 42)
                    .entry("data.pkl", pkl)
                    .write(dir.resolve("p" + protocol + ".pth"));
            try (TorchCheckpoint ckpt = TorchCheckpoint.open(f)) {
                assertEquals("model", ckpt.stateDictKey().orElseThrow(), "protocol " + protocol);
                assertTrue(ckpt.isParameter("conv.weight"));
                StateDict sd = ckpt.readAll();
                assertEquals(List.of("conv.weight", "bn.num_batches_tracked"), List.copyOf(sd.keys()));
                // size (2, 3), stride (1, 2) over [0..5]: element (i, j) is storage[i + 2j].
                assertArrayEquals(
                        new float[] {0, 2, 4, 1, 3, 5}, sd.get("conv.weight").toFloatArray());
                assertArrayEquals(
                        new long[] {42}, sd.get("bn.num_batches_tracked").toLongArray());
            }
        }
    }

    @Test
    void plainPythonValuesComeOutAsJavaValues() throws CheckpointException {
        for (int protocol : new int[] {2, 4, 5}) {
            Object top = PickleMachine.load(
                    pickle(protocol == 2 ? PROTOCOL_2 : PROTOCOL_4, protocol), "p", CheckpointFormat::storageOf);
            Map<?, ?> m = (Map<?, ?>) top;
            assertEquals(12L, m.get("epoch"));
            assertEquals(0.873, m.get("best"));
            assertEquals(Set.of("a", "b"), m.get("tags"));
            assertEquals(Set.of(1L), m.get("fz"));
            assertArrayEquals(new byte[] {0, 1, -1}, (byte[]) m.get("blob"));
            assertEquals(BigInteger.TWO.pow(70), m.get("big"));
            assertEquals(-5L, m.get("neg"));
            assertTrue(m.containsKey("none"));
            assertNull(m.get("none"));
            assertEquals(Boolean.TRUE, m.get("ok"));
            assertEquals(List.of(1L, 2L, 3L), m.get("list"));
        }
    }
}
