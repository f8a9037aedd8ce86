package org.salistream.live.ingest;

/**
 * A captured frame waiting to be encoded and sent.
 *
 * @param index         its frame index in the procedure
 * @param captureMicros when it was captured, epoch microseconds
 * @param image         the whole picture
 * @param crop          the region to send
 */
public record PendingFrame(long index, long captureMicros, BgrImage image, Crop crop) {}
