package org.salistream.kafka;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One value of the {@code masks} topic: the segmentation of one frame by one model.
 *
 * <p>The mask is an 8-bit grayscale PNG at frame size whose pixel value is the polyp probability times
 * 255, truncated ({@code np.uint8(res * 255)} in the published SALI test script, {@code test_video.py},
 * which writes exactly such PNGs for evaluation with the VPS toolbox). A probability map, unlike a
 * run-length binary mask, keeps what threshold-free metrics (S-measure, E-measure, weighted F, MAE) and
 * later re-thresholding need, and PNG compresses such smooth maps well. See {@link MaskPng}.
 *
 * @param procedureId    procedure id (also the record key)
 * @param frameIndex     index of the frame this mask belongs to
 * @param captureMicros  the frame's capture time, epoch microseconds (from its {@code sali.capture-us} header)
 * @param emitMicros     when the mask was produced, epoch microseconds (latency = emit - capture)
 * @param modelId        model name, e.g. {@code sali-pvtv2-b5}
 * @param modelVersion   model version or weights digest
 * @param width          frame width in pixels (the PNG's width)
 * @param height         frame height in pixels (the PNG's height)
 * @param maxProbability highest polyp probability in the frame, [0, 1]
 * @param area           number of pixels whose probability is above {@code threshold}
 * @param threshold      the probability threshold used for {@code area} and {@code boxes}, [0, 1]
 * @param boxes          boxes of the connected regions above the threshold (may be empty)
 * @param maskPng        the probability mask as PNG bytes
 */
public record MaskEnvelope(
        String procedureId,
        long frameIndex,
        long captureMicros,
        long emitMicros,
        String modelId,
        String modelVersion,
        int width,
        int height,
        float maxProbability,
        long area,
        float threshold,
        List<BoundingBox> boxes,
        byte[] maskPng) {

    /** Longest model id or version in UTF-8 bytes. */
    public static final int MAX_MODEL_BYTES = 128;
    /** Most boxes per mask (the count is a 16-bit field of the binary format). */
    public static final int MAX_BOXES = 65535;

    /** Validates every field; a bad one is an {@link IllegalArgumentException} naming it. */
    public MaskEnvelope {
        ProcedureIdSerde.require(procedureId);
        if (frameIndex < 0) {
            throw new IllegalArgumentException("frame index must be >= 0, got " + frameIndex);
        }
        if (captureMicros < 0 || emitMicros < 0) {
            throw new IllegalArgumentException(
                    "capture and emit times must be >= 0, got " + captureMicros + " and " + emitMicros);
        }
        HeaderCodec.requireText("model id", modelId, MAX_MODEL_BYTES);
        HeaderCodec.requireText("model version", modelVersion, MAX_MODEL_BYTES);
        if (width < 1 || width > FrameHeaders.MAX_DIMENSION || height < 1 || height > FrameHeaders.MAX_DIMENSION) {
            throw new IllegalArgumentException("mask size must be within 1.." + FrameHeaders.MAX_DIMENSION
                    + " in each direction, got " + width + "x" + height);
        }
        if (!(maxProbability >= 0f && maxProbability <= 1f)) {
            throw new IllegalArgumentException("max probability must be in [0, 1], got " + maxProbability);
        }
        if (!(threshold >= 0f && threshold <= 1f)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
        }
        if (area < 0 || area > (long) width * height) {
            throw new IllegalArgumentException("area must be in 0.." + (long) width * height + " pixels, got " + area);
        }
        boxes = List.copyOf(Objects.requireNonNull(boxes, "boxes"));
        if (boxes.size() > MAX_BOXES) {
            throw new IllegalArgumentException("at most " + MAX_BOXES + " boxes, got " + boxes.size());
        }
        for (BoundingBox b : boxes) {
            if (!b.fitsIn(width, height)) {
                throw new IllegalArgumentException("box " + b + " lies outside the " + width + "x" + height + " frame");
            }
        }
        if (!MaskPng.hasPngSignature(maskPng)) {
            throw new IllegalArgumentException("the mask must be PNG bytes (it does not start with the PNG signature)");
        }
        maskPng = maskPng.clone();
    }

    /** Milliseconds from capture to emit, for latency reports. */
    public double latencyMillis() {
        return (emitMicros - captureMicros) / 1000.0;
    }

    /** A copy of the PNG bytes (the record holds its array by reference). */
    @Override
    public byte[] maskPng() {
        return maskPng.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MaskEnvelope)) {
            return false;
        }
        MaskEnvelope m = (MaskEnvelope) o;
        return frameIndex == m.frameIndex
                && captureMicros == m.captureMicros
                && emitMicros == m.emitMicros
                && width == m.width
                && height == m.height
                && area == m.area
                && Float.compare(maxProbability, m.maxProbability) == 0
                && Float.compare(threshold, m.threshold) == 0
                && procedureId.equals(m.procedureId)
                && modelId.equals(m.modelId)
                && modelVersion.equals(m.modelVersion)
                && boxes.equals(m.boxes)
                && Arrays.equals(maskPng, m.maskPng);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                                procedureId,
                                frameIndex,
                                captureMicros,
                                emitMicros,
                                modelId,
                                modelVersion,
                                width,
                                height,
                                maxProbability,
                                area,
                                threshold,
                                boxes)
                        * 31
                + Arrays.hashCode(maskPng);
    }

    /** Never prints the mask bytes, only their length. */
    @Override
    public String toString() {
        return "MaskEnvelope[" + LogIds.procedure(procedureId) + " #" + frameIndex + " " + width + "x" + height
                + " model=" + modelId + ":"
                + modelVersion + " max=" + maxProbability + " area=" + area + " thr=" + threshold + " boxes=" + boxes
                + " capture=" + captureMicros + " emit=" + emitMicros + " png=" + maskPng.length + " bytes]";
    }

    /** Internal access to the PNG bytes without copying, for the encoder. */
    byte[] maskPngUnsafe() {
        return maskPng;
    }
}
