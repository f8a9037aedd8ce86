package org.salistream.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.CompositeType;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.ObjectArrayTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.salistream.kafka.AlertEvent;
import org.salistream.kafka.BoundingBox;
import org.salistream.kafka.DlqReason;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.events.DeadLetter;
import org.salistream.pipeline.events.FrameEvent;
import org.salistream.pipeline.events.MaskFrame;
import org.salistream.pipeline.events.RawFrame;
import org.salistream.pipeline.events.SegmentedFrame;
import org.salistream.pipeline.state.AlertState;
import org.salistream.pipeline.state.FrameMeta;
import org.salistream.pipeline.state.ProcedureProgress;

/**
 * "No Kryo": every type that crosses an operator boundary or lives in keyed state is a Flink POJO (records
 * included), with no generic (Kryo) field anywhere inside, and its serializer can be created and round-trips
 * a populated value under the job's own setting {@code pipeline.generic-types: false}.
 */
class TypeInformationTest {

    /** The job's serializer configuration (generic types disabled by {@link SegmentationJob#flinkConfiguration}). */
    private static SerializerConfigImpl jobSerializerConfig() {
        return new SerializerConfigImpl(SegmentationJob.flinkConfiguration(PipelineConfig.of(Map.of())));
    }

    static Stream<Arguments> values() {
        RawFrame raw = new RawFrame();
        raw.key = new byte[] {'p', '1'};
        raw.value = new byte[] {1, 2, 3};
        raw.headerNames = new String[] {"sali.frame-index", "content-type"};
        raw.headerValues = new byte[][] {{'4'}, {'x'}};
        raw.topic = "frames";
        raw.partition = 3;
        raw.offset = 99;
        raw.timestamp = 123;

        FrameEvent frame = new FrameEvent();
        frame.kind = FrameEvent.Kind.FRAME;
        frame.procedureId = "p1";
        frame.frameIndex = 4;
        frame.captureMicros = 5;
        frame.deviceId = "scope";
        frame.width = 320;
        frame.height = 240;
        frame.modelRgb = new byte[] {9, 8, 7};
        frame.receivedMicros = 6;
        frame.source = raw;

        SegmentedFrame seg = new SegmentedFrame();
        seg.kind = FrameEvent.Kind.FRAME;
        seg.procedureId = "p1";
        seg.deviceId = "scope";
        seg.logits = new float[] {0.5f, -1f};
        seg.size = 1;
        seg.memoryFrames = 2;

        MaskFrame mask = new MaskFrame();
        mask.kind = FrameEvent.Kind.END;
        mask.procedureId = "p1";
        mask.envelope = new byte[0];

        ProcedureProgress progress = new ProcedureProgress();
        progress.accept(new FrameMeta(0, 1, "scope", 320, 240, 2, 10));
        progress.accept(new FrameMeta(1, 2, "scope", 320, 240, 2, 11));

        AlertState alert = new AlertState();
        alert.indices = new long[] {1, 2, 3};
        alert.confidences = new float[] {0.1f, 0.9f, 0.8f};
        alert.active = true;

        AlertEvent.Hysteresis rule = new AlertEvent.Hysteresis(3, 5, 5, 0.5f);
        return Stream.of(
                Arguments.of(RawFrame.class, raw),
                Arguments.of(FrameEvent.class, frame),
                Arguments.of(SegmentedFrame.class, seg),
                Arguments.of(MaskFrame.class, mask),
                Arguments.of(DeadLetter.class, DeadLetter.of(raw, DlqReason.SIZE_MISMATCH, "decoded 1x1")),
                Arguments.of(ProcedureProgress.class, progress),
                Arguments.of(FrameMeta.class, new FrameMeta(7, 8, "scope", 640, 480, 1, 12)),
                Arguments.of(AlertState.class, alert),
                Arguments.of(
                        AlertEvent.class,
                        new AlertEvent(
                                "p1",
                                AlertEvent.Type.APPEARED,
                                12,
                                10,
                                12,
                                5,
                                6,
                                0.9f,
                                new BoundingBox(1, 2, 3, 4, 0.9f),
                                rule)),
                Arguments.of(
                        AlertEvent.class,
                        new AlertEvent("p1", AlertEvent.Type.CLEARED, 35, 10, 30, 5, 6, 0.97f, null, rule)));
    }

    @Test
    void theJobDisablesGenericTypes() {
        assertTrue(jobSerializerConfig().hasGenericTypesDisabled());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    <T> void everyEventAndStateTypeIsAPojoWithoutKryoAndRoundTrips(Class<T> type, T value) throws IOException {
        TypeInformation<T> info = TypeInformation.of(type);
        assertInstanceOf(PojoTypeInfo.class, info, type + " must be a Flink POJO, not " + info);
        List<String> generic = new ArrayList<>();
        findGeneric(info, type.getSimpleName(), generic);
        assertTrue(generic.isEmpty(), "Kryo-serialised fields: " + generic);

        TypeSerializer<T> s = info.createSerializer(jobSerializerConfig());
        byte[] once = serialize(s, value);
        T back = s.deserialize(new DataInputDeserializer(once));
        assertArrayEquals(once, serialize(s, back), "the value survives a round trip");
        if (value instanceof AlertEvent) {
            assertTrue(value.equals(back), "records compare by value");
        }
        assertFalse(once.length == 0);
    }

    private static <T> byte[] serialize(TypeSerializer<T> s, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        s.serialize(value, out);
        return out.getCopyOfBuffer();
    }

    /** Every path to a generic (Kryo) type inside {@code info}. */
    private static void findGeneric(TypeInformation<?> info, String path, List<String> found) {
        if (info instanceof GenericTypeInfo) {
            found.add(path + ": " + info);
        } else if (info instanceof ObjectArrayTypeInfo<?, ?> array) {
            findGeneric(array.getComponentInfo(), path + "[]", found);
        } else if (info instanceof CompositeType<?> composite) {
            String[] names = composite.getFieldNames();
            for (int i = 0; i < composite.getArity(); i++) {
                findGeneric(composite.getTypeAt(i), path + "." + names[i], found);
            }
        }
    }
}
