package org.salistream.pipeline.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.CheckpointStorage;
import org.apache.flink.runtime.state.CheckpointStorageLoader;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.runtime.state.storage.JobManagerCheckpointStorage;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salistream.model.memory.MemoryState;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.job.SegmentationJob;
import org.salistream.pipeline.operators.SaliOperator;
import org.salistream.pipeline.testing.StateFixtures;

/**
 * What keeping SALI-B5's memory bank (~7.5 MiB per procedure at 352, read every frame) in keyed state costs.
 * With the heap state backend the bank is a reference in a hash map: reading and updating it per frame must
 * never serialise it; only a checkpoint does, at about its raw float size. A counting serializer proves it,
 * and the same operator on RocksDB (which does serialise per access) shows the check can fail. Prints the
 * measured numbers (see target/surefire-reports/...StateCostTest-output.txt).
 */
class StateCostTest {

    private static MemoryState b5;
    private static float[][] usage;

    @BeforeAll
    static void buildTheFullSizeBank() {
        long t0 = System.nanoTime();
        b5 = StateFixtures.b5Memory();
        usage = StateFixtures.usage(new Random(1), b5);
        System.out.printf("built the B5@352 bank (%s) in %.0f ms%n", b5, ms(System.nanoTime() - t0));
    }

    @BeforeEach
    void resetCounters() {
        CountingMemorySerializer.reset();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    @Test
    void theFullSizeBankSerializesToItsRawFloatBytesAndAFewBytesMore() throws IOException {
        long raw = StateFixtures.rawBytes(StateFixtures.B5_POSITIONS, 4, 16, 35);
        assertEquals(35, b5.frames());
        assertEquals(raw, b5.byteSize(), "keys, values, usage and life of 35 x 2541 positions");
        assertTrue(raw > 7_000_000 && raw < 8_000_000, "about 7 MB: " + raw);

        DataOutputSerializer out = new DataOutputSerializer(8 << 20);
        long t0 = System.nanoTime();
        MemoryStateSerializer.INSTANCE.serialize(b5, out);
        long t1 = System.nanoTime();
        MemoryState back = MemoryStateSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        long t2 = System.nanoTime();
        long overhead = out.length() - raw;
        assertTrue(overhead >= 0 && overhead <= 4096, "serialized " + out.length() + " bytes for " + raw + " raw");
        assertEquals(b5, back);
        System.out.printf(
                "bank: %d raw float bytes, %d serialized (+%d); serialize %.1f ms, deserialize %.1f ms (cold)%n",
                raw, out.length(), overhead, ms(t1 - t0), ms(t2 - t1));
    }

    @Test
    void theJobKeepsTheBankInHeapStateWithTheBytesBackedSerializer() {
        assertEquals(
                "hashmap",
                SegmentationJob.flinkConfiguration(PipelineConfig.of(Map.of())).get(StateBackendOptions.STATE_BACKEND));
        assertSame(MemoryStateSerializer.INSTANCE, SaliOperator.MEMORY.getSerializer());
        assertTrue(MemoryStateSerializer.INSTANCE.isImmutableType(), "heap state may hand out the same object");
    }

    /** The checkpoint storage the job's Flink configuration selects. */
    private static CheckpointStorage jobCheckpointStorage(PipelineConfig config) throws Exception {
        return CheckpointStorageLoader.fromConfig(
                        SegmentationJob.flinkConfiguration(config), StateCostTest.class.getClassLoader(), null)
                .orElseThrow();
    }

    @Test
    void theJobManagersMemoryCannotHoldOneFullSizeBank() throws Exception {
        try (var h = harness(new HashMapStateBackend())) {
            h.setCheckpointStorage(new JobManagerCheckpointStorage());
            h.open();
            h.processElement("A", 0);
            Exception e = assertThrows(Exception.class, () -> h.snapshot(1, 1));
            assertTrue(
                    String.valueOf(e.getMessage()).contains("larger than the maximum permitted memory-backed state"),
                    String.valueOf(e.getMessage()));
        }
    }

    @Test
    void theJobCheckpointsIntoAFolderEvenWithoutACheckpointDir() throws Exception {
        CheckpointStorage storage = jobCheckpointStorage(PipelineConfig.of(Map.of()));
        FileSystemCheckpointStorage fs = assertInstanceOf(FileSystemCheckpointStorage.class, storage);
        assertEquals(
                SegmentationJob.LOCAL_CHECKPOINT_DIR.toAbsolutePath(),
                Path.of(fs.getCheckpointPath().toUri()));
    }

    @Test
    void heapStateReadsAndUpdatesTheBankPerFrameWithoutSerializingIt(@TempDir Path dir) throws Exception {
        CheckpointStorage storage = jobCheckpointStorage(PipelineConfig.of(Map.of("checkpoint.dir", dir.toString())));
        OperatorSubtaskState snapshot;
        try (var h = harness(new HashMapStateBackend())) {
            h.setCheckpointStorage(storage);
            h.open();
            MemoryTouchingOperator op = (MemoryTouchingOperator) h.getOperator();
            for (int i = 0; i < 100; i++) {
                h.processElement(i % 2 == 0 ? "A" : "B", i);
            }
            assertEquals(100, h.extractOutputValues().size());
            assertEquals(0, CountingMemorySerializer.SERIALIZED.get(), "no serialisation per access");
            assertEquals(0, CountingMemorySerializer.DESERIALIZED.get(), "no deserialisation per access");
            System.out.printf(
                    "heap state, full bank, 100 frames over 2 procedures: value() median %.2f us (mean %.2f),"
                            + " update() median %.2f us (mean %.2f), withRead median %.3f ms; serializer calls: 0%n",
                    median(op.reads()) / 1e3,
                    op.readNanos / 100 / 1e3,
                    median(op.writes()) / 1e3,
                    op.writeNanos / 100 / 1e3,
                    ms(median(op.models())));

            long t0 = System.nanoTime();
            snapshot = h.snapshot(1, 100);
            long t1 = System.nanoTime();
            long size = keyedStateSize(snapshot);
            assertEquals(
                    2, CountingMemorySerializer.SERIALIZED.get(), "a checkpoint writes each procedure's bank once");
            assertTrue(size >= 2 * b5.byteSize(), "the snapshot holds both banks: " + size);
            System.out.printf("snapshot of 2 full banks: %.1f ms, %d bytes of keyed state%n", ms(t1 - t0), size);
        }
        try (var h = harness(new HashMapStateBackend())) {
            h.setCheckpointStorage(storage);
            long t0 = System.nanoTime();
            h.initializeState(snapshot);
            h.open();
            long t1 = System.nanoTime();
            assertEquals(2, CountingMemorySerializer.DESERIALIZED.get(), "a restore reads each bank once");
            h.processElement("A", 200);
            MemoryTouchingOperator op = (MemoryTouchingOperator) h.getOperator();
            assertEquals(b5.frames(), op.lastFrames);
            System.out.printf("restore of 2 full banks: %.1f ms%n", ms(t1 - t0));
        }
    }

    @Test
    void rocksDbWouldSerializeTheBankOnEveryAccessSoTheCountCanFail() throws Exception {
        MemoryState small = StateFixtures.memory(new int[] {64, 16, 4}, 4, 16, 2, 9);
        try (var h = harness(new EmbeddedRocksDBStateBackend(), small)) {
            h.open();
            for (int i = 0; i < 10; i++) {
                h.processElement("A", i);
            }
            assertTrue(
                    CountingMemorySerializer.SERIALIZED.get() >= 10,
                    "RocksDB writes bytes on every update: " + CountingMemorySerializer.SERIALIZED.get());
            assertTrue(CountingMemorySerializer.DESERIALIZED.get() >= 9, "and reads bytes on every value()");
        }
    }

    @Test
    void perFrameMemoryOperationsAtFullSize() {
        // withRead: the per-frame usage update (new usage and life arrays, keys and values shared).
        MemoryState m = b5;
        long[] read = new long[40];
        for (int i = -20; i < read.length; i++) { // 20 unmeasured rounds for the JIT
            long t0 = System.nanoTime();
            m = m.withRead(usage);
            if (i >= 0) {
                read[i] = System.nanoTime() - t0;
            }
        }
        for (int s = 0; s < MemoryState.SCALES; s++) {
            assertSame(b5.scale(s).keys(), m.scale(s).keys(), "a read never copies keys");
            assertSame(b5.scale(s).values(), m.scale(s).values(), "a read never copies values");
        }
        // withFrameAdded on a full bank: append one frame, then the usage-based removal (the steady state).
        Random r = new Random(3);
        float[][] keys = StateFixtures.entries(r, StateFixtures.B5_POSITIONS, 4);
        float[][] values = StateFixtures.entries(r, StateFixtures.B5_POSITIONS, 16);
        long[] add = new long[20];
        MemoryState grown = m;
        for (int i = -5; i < add.length; i++) {
            long t0 = System.nanoTime();
            grown = m.withFrameAdded(keys, values, StateFixtures.B5_POSITIONS, StateFixtures.MEM_LENGTH);
            if (i >= 0) {
                add[i] = System.nanoTime() - t0;
            }
        }
        assertTrue(grown.frames() <= StateFixtures.MEM_LENGTH, "the removal keeps the bank bounded: " + grown);
        System.out.printf(
                "full B5@352 bank: withRead median %.3f ms (min %.3f); withFrameAdded+removal median %.2f ms"
                        + " (min %.2f); bank after add: %s%n",
                ms(median(read)), ms(min(read)), ms(median(add)), ms(min(add)), grown);
    }

    private static long median(long[] a) {
        long[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static long min(long[] a) {
        return Arrays.stream(a).min().orElseThrow();
    }

    private static long keyedStateSize(OperatorSubtaskState s) {
        long n = 0;
        for (KeyedStateHandle k : s.getManagedKeyedState()) {
            n += k.getStateSize();
        }
        return n;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, String, Integer> harness(StateBackend backend)
            throws Exception {
        return harness(backend, b5);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, String, Integer> harness(
            StateBackend backend, MemoryState initial) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new MemoryTouchingOperator(initial, usage), k -> k, Types.STRING);
        h.setStateBackend(backend);
        return h;
    }

    /** Reads and updates a bank per element, as the SALI operator does per frame, timing the state calls. */
    static final class MemoryTouchingOperator extends AbstractStreamOperator<Integer>
            implements OneInputStreamOperator<String, Integer> {

        private static final long serialVersionUID = 1L;
        /** The operator's memory state, under its name, with the counting serializer. */
        static final ValueStateDescriptor<MemoryState> MEMORY =
                new ValueStateDescriptor<>(SaliOperator.MEMORY.getName(), CountingMemorySerializer.INSTANCE);

        private final transient MemoryState initial;
        private final transient float[][] usage;
        private transient ValueState<MemoryState> memory;
        long readNanos;
        long writeNanos;
        long modelNanos;
        int lastFrames;
        private final long[][] samples = new long[3][128];
        private int n;

        long[] reads() {
            return Arrays.copyOf(samples[0], n);
        }

        long[] writes() {
            return Arrays.copyOf(samples[1], n);
        }

        long[] models() {
            return Arrays.copyOf(samples[2], n);
        }

        MemoryTouchingOperator(MemoryState initial, float[][] usage) {
            this.initial = initial;
            this.usage = usage;
        }

        @Override
        public void open() throws Exception {
            super.open();
            memory = getPartitionedState(MEMORY);
        }

        @Override
        public void processElement(StreamRecord<String> element) throws Exception {
            long t0 = System.nanoTime();
            MemoryState m = memory.value();
            long t1 = System.nanoTime();
            if (m == null) {
                m = initial;
            }
            float[][] u = usage;
            if (u[0].length != m.scale(0).length()) {
                u = StateFixtures.usage(new Random(2), m);
            }
            MemoryState next = m.withRead(u);
            long t2 = System.nanoTime();
            memory.update(next);
            long t3 = System.nanoTime();
            readNanos += t1 - t0;
            modelNanos += t2 - t1;
            writeNanos += t3 - t2;
            if (n < samples[0].length) {
                samples[0][n] = t1 - t0;
                samples[1][n] = t3 - t2;
                samples[2][n] = t2 - t1;
                n++;
            }
            lastFrames = next.frames();
            output.collect(new StreamRecord<>(lastFrames));
        }
    }

    @Test
    void theCountingSerializerWritesTheSameBytesAsTheRealOne() throws IOException {
        MemoryState small = StateFixtures.memory(new int[] {64, 16, 4}, 4, 16, 2, 9);
        DataOutputSerializer a = new DataOutputSerializer(64);
        DataOutputSerializer b = new DataOutputSerializer(64);
        MemoryStateSerializer.INSTANCE.serialize(small, a);
        CountingMemorySerializer.INSTANCE.serialize(small, b);
        assertTrue(Arrays.equals(a.getCopyOfBuffer(), b.getCopyOfBuffer()));
        assertEquals(1, CountingMemorySerializer.SERIALIZED.get());
        assertInstanceOf(
                CountingMemorySerializer.class,
                CountingMemorySerializer.INSTANCE.snapshotConfiguration().restoreSerializer());
    }
}
