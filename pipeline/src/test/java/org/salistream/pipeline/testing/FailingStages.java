package org.salistream.pipeline.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.salistream.model.ModelConfig;
import org.salistream.model.image.RgbImage;
import org.salistream.model.stage.FrameFeatures;
import org.salistream.model.stage.SaliStages;
import org.salistream.model.stage.SegmentRequest;
import org.salistream.model.stage.SegmentResult;
import org.salistream.pipeline.job.ModelStages;
import org.salistream.pipeline.operators.StagesFactory;

/**
 * The real model with faults that chosen frames trigger, as a failing GPU, a native error or a numerical
 * blow-up would: a frame at model size whose first pixels spell a marker makes the model path throw in
 * encoding ({@link #ENCODE}), throw in segmentation ({@link #SEGMENT}), or give NaN logits ({@link #NAN}).
 * Every other frame runs the real network unchanged. Real images cannot make a healthy network throw, so the
 * fault is injected here; the code under test (batching, isolation, dead letters) is the production code.
 */
public final class FailingStages implements SaliStages {

    /** Encoding a batch holding this frame throws. */
    public static final String ENCODE = "ENCFAIL!";
    /** Segmenting a batch holding this frame throws. */
    public static final String SEGMENT = "SEGFAIL!";
    /** Segmenting this frame gives NaN logits. */
    public static final String NAN = "NANLOGIT";
    /** The value a marked frame's features carry at [2][0] (it survives state serialisation). */
    private static final float SEGMENT_TAG = 7.25e7f;

    private static final float NAN_TAG = -7.25e7f;

    private final SaliStages real;
    private final List<Integer> encodeCalls = new ArrayList<>();
    private final List<Integer> segmentCalls = new ArrayList<>();

    /** The real stages with the markers armed. */
    public FailingStages(SaliStages real) {
        this.real = real;
    }

    /** A factory for the job: the configured model, failing on marked frames. */
    public static StagesFactory factory() {
        return config -> new FailingStages(new ModelStages().open(config));
    }

    /** A model-size frame (RGB) carrying {@code marker} in its first pixels, the rest from {@code base}. */
    public static byte[] marked(byte[] base, String marker) {
        byte[] out = Arrays.copyOf(base, base.length);
        byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(m, 0, out, 0, m.length);
        return out;
    }

    private static boolean has(byte[] rgb, String marker) {
        byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
        return rgb.length >= m.length && Arrays.equals(rgb, 0, m.length, m, 0, m.length);
    }

    /** Sizes of the encode calls made so far. */
    public List<Integer> encodeCalls() {
        return encodeCalls;
    }

    /** Sizes of the segment calls made so far. */
    public List<Integer> segmentCalls() {
        return segmentCalls;
    }

    @Override
    public ModelConfig config() {
        return real.config();
    }

    @Override
    public List<FrameFeatures> encode(List<RgbImage> frames) {
        encodeCalls.add(frames.size());
        if (frames.stream().anyMatch(f -> has(f.rgb(), ENCODE))) {
            throw new IllegalStateException("injected encoder fault");
        }
        List<FrameFeatures> out = real.encode(frames);
        for (int i = 0; i < frames.size(); i++) {
            if (has(frames.get(i).rgb(), SEGMENT)) {
                out.get(i).map(2)[0] = SEGMENT_TAG;
            } else if (has(frames.get(i).rgb(), NAN)) {
                out.get(i).map(2)[0] = NAN_TAG;
            }
        }
        return out;
    }

    @Override
    public List<FrameFeatures> encodeNormalized(List<float[]> frames) {
        return real.encodeNormalized(frames);
    }

    @Override
    public List<SegmentResult> segment(List<SegmentRequest> requests) {
        segmentCalls.add(requests.size());
        if (requests.stream().anyMatch(r -> r.current().map(2)[0] == SEGMENT_TAG)) {
            throw new IllegalStateException("injected segmentation fault");
        }
        List<SegmentResult> out = new ArrayList<>(real.segment(requests));
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).current().map(2)[0] == NAN_TAG) {
                float[] nan = new float[out.get(i).logits().length];
                Arrays.fill(nan, Float.NaN);
                out.set(i, new SegmentResult(nan, out.get(i).size(), out.get(i).memory()));
            }
        }
        return out;
    }

    @Override
    public void close() {
        real.close();
    }
}
