package org.salistream.pipeline.operators;

import java.util.function.IntSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The SALI operator's metrics, per parallel subtask, each meaning what its name says: counters are totals
 * since the subtask started, histograms are distributions over the last 1000 model calls, and the gauges
 * are sums over every procedure this subtask holds (not the last procedure that happened to emit).
 *
 * <ul>
 *   <li>{@code framesSegmented} (and {@code framesPerSecond}), {@code modelFailures} (frames dead-lettered by
 *       the model path), {@code proceduresClosedForModelFailures}, {@code deadLetters} (every dead letter of
 *       the operator), {@code duplicateFramesDropped};
 *   <li>{@code encodeMillisPerCall}, {@code segmentMillisPerCall}, {@code encodeBatchSize},
 *       {@code segmentBatchSize}: the two model stages apart, per call;
 *   <li>{@code openProcedures}, {@code memoryBankBytes}: procedures with a window or memory here, and the sum
 *       of their memory banks' sizes; {@code bufferedFrames}: events waiting for their batch.
 * </ul>
 */
final class SaliMetrics {

    private static final int WINDOW = 1000;

    private final Counter segmented;
    private final Meter framesPerSecond;
    private final Counter modelFailures;
    private final Counter closedForFailures;
    private final Counter deadLetters;
    private final Counter duplicates;
    private final Histogram encodeMillis;
    private final Histogram segmentMillis;
    private final Histogram encodeBatch;
    private final Histogram segmentBatch;
    private long openProcedures;
    private long memoryBytes;

    SaliMetrics(MetricGroup group, IntSupplier buffered) {
        segmented = group.counter("framesSegmented");
        framesPerSecond = group.meter("framesPerSecond", new MeterView(segmented, 10));
        modelFailures = group.counter("modelFailures");
        closedForFailures = group.counter("proceduresClosedForModelFailures");
        deadLetters = group.counter("deadLetters");
        duplicates = group.counter("duplicateFramesDropped");
        encodeMillis = group.histogram("encodeMillisPerCall", new DescriptiveStatisticsHistogram(WINDOW));
        segmentMillis = group.histogram("segmentMillisPerCall", new DescriptiveStatisticsHistogram(WINDOW));
        encodeBatch = group.histogram("encodeBatchSize", new DescriptiveStatisticsHistogram(WINDOW));
        segmentBatch = group.histogram("segmentBatchSize", new DescriptiveStatisticsHistogram(WINDOW));
        group.gauge("openProcedures", () -> openProcedures);
        group.gauge("memoryBankBytes", () -> memoryBytes);
        group.gauge("bufferedFrames", buffered::getAsInt);
    }

    void segmented() {
        framesPerSecond.markEvent();
    }

    void modelFailure() {
        modelFailures.inc();
    }

    void procedureClosedForFailures() {
        closedForFailures.inc();
    }

    void deadLetter() {
        deadLetters.inc();
    }

    void duplicate() {
        duplicates.inc();
    }

    void encoded(int frames, long nanos) {
        encodeBatch.update(frames);
        encodeMillis.update(nanos / 1_000_000);
    }

    void segmentCall(int frames, long nanos) {
        segmentBatch.update(frames);
        segmentMillis.update(nanos / 1_000_000);
    }

    void procedureOpened() {
        openProcedures++;
    }

    void procedureClosed() {
        openProcedures--;
    }

    void memoryChanged(long deltaBytes) {
        memoryBytes += deltaBytes;
    }
}
