package org.salistream.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints built by {@link PthWriter} for what the golden file lacks: dtypes, views, sharing, nesting. */
class HandBuiltCheckpointTest {

    @TempDir
    Path dir;

    private StateDict load(PthWriter w) throws IOException {
        return TorchCheckpoint.loadStateDict(w.write(dir.resolve("ckpt.pth")));
    }

    @Test
    void contiguousTensorsReadBackInThePickleOrder() throws IOException {
        StateDict sd = load(new PthWriter("archive")
                .floatStorage("0", 1, 2, 3, 4, 5, 6)
                .floatStorage("1", -1, 0.5f)
                .tensor("conv.weight", "0", 2, 3)
                .tensor("conv.bias", "1", 2));
        assertEquals(List.of("conv.weight", "conv.bias"), List.copyOf(sd.keys()));
        assertArrayEquals(new long[] {2, 3}, sd.get("conv.weight").shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, sd.get("conv.weight").toFloatArray());
        assertArrayEquals(new float[] {-1, 0.5f}, sd.get("conv.bias").toFloatArray());
        assertTrue(sd.sourceKey().isEmpty());
    }

    @Test
    void float16StorageWidensExactlyToFloat32() throws IOException {
        short[] bits = {0x3C00, (short) 0xC000, 0x3800, 0x7BFF, 0x0001, (short) 0x8000, 0x7C00, 0x3555};
        float[] expected = {1f, -2f, 0.5f, 65504f, 0x1p-24f, -0f, Float.POSITIVE_INFINITY, 0.333251953125f};
        ByteBuffer b = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(bits);
        StateDict sd = load(new PthWriter("archive")
                .storage("0", TorchDtype.FLOAT16, b.array())
                .tensor("w", "0", 2, 4));
        assertEquals(TorchDtype.FLOAT16, sd.get("w").dtype());
        assertArrayEquals(expected, sd.get("w").toFloatArray());
        assertEquals(
                Float.floatToRawIntBits(-0f),
                Float.floatToRawIntBits(sd.get("w").toFloatArray()[5]));
    }

    @Test
    void transposedViewComesOutAsTheContiguousTranspose() throws IOException {
        // storage = [[0, 1, 2], [3, 4, 5]] row-major; w.t() has size (3, 2), stride (1, 3).
        StateDict sd = load(new PthWriter("archive")
                .floatStorage("0", 0, 1, 2, 3, 4, 5)
                .view("wt", "0", 0, new long[] {3, 2}, new long[] {1, 3}));
        assertArrayEquals(new long[] {3, 2}, sd.get("wt").shape());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, sd.get("wt").toFloatArray());
    }

    @Test
    void storageOffsetSelectsTheViewedElements() throws IOException {
        float[] s = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        StateDict sd = load(new PthWriter("archive")
                .floatStorage("0", s)
                .view("block", "0", 4, new long[] {2, 2}, new long[] {2, 1})
                .view("strided", "0", 1, new long[] {3}, new long[] {3})
                .view("column", "0", 2, new long[] {2, 1}, new long[] {5, 1})
                .view("scalar", "0", 9, new long[0], new long[0]));
        assertArrayEquals(new float[] {4, 5, 6, 7}, sd.get("block").toFloatArray());
        assertArrayEquals(new float[] {1, 4, 7}, sd.get("strided").toFloatArray());
        assertArrayEquals(new float[] {2, 7}, sd.get("column").toFloatArray());
        assertArrayEquals(new float[] {9}, sd.get("scalar").toFloatArray());
    }

    @Test
    void tensorsSharingOneStorageEachSeeTheirOwnSlice() throws IOException {
        Path f = new PthWriter("archive")
                .floatStorage("0", 10, 11, 12, 13, 14, 15)
                .view("qkv.q", "0", 0, new long[] {3}, new long[] {1})
                .view("qkv.k", "0", 3, new long[] {3}, new long[] {1})
                .view("qkv.all", "0", 0, new long[] {2, 3}, new long[] {3, 1})
                .write(dir.resolve("shared.pth"));
        StateDict sd = TorchCheckpoint.loadStateDict(f);
        assertArrayEquals(new float[] {10, 11, 12}, sd.get("qkv.q").toFloatArray());
        assertArrayEquals(new float[] {13, 14, 15}, sd.get("qkv.k").toFloatArray());
        assertArrayEquals(
                new float[] {10, 11, 12, 13, 14, 15}, sd.get("qkv.all").toFloatArray());
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(f)) {
            assertArrayEquals(new float[] {13, 14, 15}, ckpt.read("qkv.k").toFloatArray());
        }
    }

    @Test
    void int64TensorsKeepTheirExactValues() throws IOException {
        long big = 123_456_789_012_345L;
        StateDict sd = load(new PthWriter("archive")
                .longStorage("0", big)
                .longStorage("1", -7, 0, 1L << 40)
                .tensor("bn.num_batches_tracked", "0")
                .tensor("index", "1", 3));
        TensorData nbt = sd.get("bn.num_batches_tracked");
        assertEquals(TorchDtype.INT64, nbt.dtype());
        assertEquals(0, nbt.rank());
        assertArrayEquals(new long[] {big}, nbt.toLongArray());
        assertArrayEquals(new long[] {-7, 0, 1L << 40}, sd.get("index").toLongArray());
    }

    @Test
    void everyOtherSupportedDtypeConverts() throws IOException {
        ByteBuffer f64 = ByteBuffer.allocate(16)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putDouble(0.1)
                .putDouble(-3);
        ByteBuffer i32 =
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-5).putInt(1 << 30);
        ByteBuffer i16 = ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) -300)
                .putShort((short) 7);
        ByteBuffer bf16 = ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) (Float.floatToIntBits(1.5f) >>> 16))
                .putShort((short) (Float.floatToIntBits(-2f) >>> 16));
        StateDict sd = load(new PthWriter("archive")
                .storage("0", TorchDtype.FLOAT64, f64.array())
                .storage("1", TorchDtype.INT32, i32.array())
                .storage("2", TorchDtype.UINT8, new byte[] {0, (byte) 200, 255 - 256})
                .storage("3", TorchDtype.BOOL, new byte[] {1, 0})
                .storage("4", TorchDtype.INT8, new byte[] {-128, 5})
                .storage("5", TorchDtype.INT16, i16.array())
                .storage("6", TorchDtype.BFLOAT16, bf16.array())
                .tensor("f64", "0", 2)
                .tensor("i32", "1", 2)
                .tensor("u8", "2", 3)
                .tensor("mask", "3", 2)
                .tensor("i8", "4", 2)
                .tensor("i16", "5", 2)
                .tensor("bf16", "6", 2));
        assertArrayEquals(new double[] {0.1, -3}, sd.get("f64").toDoubleArray());
        assertArrayEquals(new float[] {0.1f, -3f}, sd.get("f64").toFloatArray());
        assertArrayEquals(new long[] {-5, 1 << 30}, sd.get("i32").toLongArray());
        assertArrayEquals(new long[] {0, 200, 255}, sd.get("u8").toLongArray());
        assertArrayEquals(new long[] {1, 0}, sd.get("mask").toLongArray());
        assertEquals(TorchDtype.BOOL, sd.get("mask").dtype());
        assertArrayEquals(new long[] {-128, 5}, sd.get("i8").toLongArray());
        assertArrayEquals(new long[] {-300, 7}, sd.get("i16").toLongArray());
        assertArrayEquals(new float[] {1.5f, -2f}, sd.get("bf16").toFloatArray());
        assertArrayEquals(new float[] {-5, 1 << 30}, sd.get("i32").toFloatArray());
    }

    @Test
    void aStateDictNestedInATrainingCheckpointIsFoundAndItsKeyReported() throws IOException {
        for (String key : List.of("state_dict", "model", "model_state_dict", "ema_weights")) {
            Path f = new PthWriter("archive")
                    .floatStorage("0", 1, 2)
                    .tensor("head.weight", "0", 2)
                    .nestUnder(key)
                    .write(dir.resolve(key + ".pth"));
            try (TorchCheckpoint ckpt = TorchCheckpoint.open(f)) {
                assertEquals(key, ckpt.stateDictKey().orElseThrow());
                StateDict sd = ckpt.readAll();
                assertEquals(key, sd.sourceKey().orElseThrow());
                assertArrayEquals(new float[] {1, 2}, sd.get("head.weight").toFloatArray());
            }
        }
    }

    @Test
    void theDataParallelModulePrefixIsStripped() throws IOException {
        StateDict sd = load(new PthWriter("archive")
                .floatStorage("0", 3)
                .floatStorage("1", 4)
                .tensor("module.conv.weight", "0", 1)
                .tensor("module.conv.bias", "1", 1));
        StateDict plain = sd.stripDataParallelPrefix();
        assertEquals(List.of("conv.weight", "conv.bias"), List.copyOf(plain.keys()));
        assertArrayEquals(new float[] {3}, plain.get("conv.weight").toFloatArray());
    }

    @Test
    void savedParametersAreUnwrappedAndMarked() throws IOException {
        Path f = new PthWriter("archive")
                .floatStorage("0", 1, 2, 3)
                .floatStorage("1", 9)
                .parameter("weight", "0", 3)
                .tensor("running", "1", 1)
                .write(dir.resolve("param.pth"));
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(f)) {
            assertTrue(ckpt.isParameter("weight"));
            assertFalse(ckpt.isParameter("running"));
            assertArrayEquals(new float[] {1, 2, 3}, ckpt.read("weight").toFloatArray());
        }
    }

    @Test
    void aBigEndianFileIsSwappedToTheSameValues() throws IOException {
        Path f = new PthWriter("archive")
                .bigEndian()
                .floatStorage("0", 1.25f, -7f)
                .longStorage("1", 1L << 33)
                .tensor("w", "0", 2)
                .tensor("n", "1")
                .write(dir.resolve("be.pth"));
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(f)) {
            assertTrue(ckpt.isBigEndian());
            StateDict sd = ckpt.readAll();
            assertArrayEquals(new float[] {1.25f, -7f}, sd.get("w").toFloatArray());
            assertArrayEquals(new long[] {1L << 33}, sd.get("n").toLongArray());
        }
    }

    @Test
    void manyTensorsUseLongMemoIndices() throws IOException {
        // Over 256 memo entries switch pickle to LONG_BINPUT / LONG_BINGET, as in the golden file.
        PthWriter w = new PthWriter("archive");
        for (int i = 0; i < 120; i++) {
            w.floatStorage(Integer.toString(i), i, -i).tensor("layer" + i + ".bias", Integer.toString(i), 2);
        }
        StateDict sd = load(w);
        assertEquals(120, sd.size());
        assertArrayEquals(new float[] {119, -119}, sd.get("layer119.bias").toFloatArray());
    }

    @Test
    void aFloatTensorRefusesToBeReadAsLongs() throws IOException {
        StateDict sd = load(new PthWriter("archive").floatStorage("0", 1.5f).tensor("w", "0", 1));
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> sd.get("w").toLongArray());
        assertTrue(e.getMessage().contains("torch.float32"), e.getMessage());
    }
}
