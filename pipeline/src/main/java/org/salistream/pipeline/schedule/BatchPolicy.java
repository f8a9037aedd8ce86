package org.salistream.pipeline.schedule;

import java.io.Serializable;
import org.salistream.pipeline.config.PipelineConfig;

/**
 * How the SALI operator batches and when it gives up on a procedure, parsed once from the configuration.
 *
 * @param maxSize most frames per model call ({@code batch.max-size})
 * @param maxWaitMillis longest a buffered frame waits for others ({@code batch.max-wait})
 * @param liveWindowMillis a procedure whose last frame is older than this is not waited for
 *     ({@code batch.live-window})
 * @param maxModelFailures model failures in a row after which a procedure is closed
 *     ({@code procedure.max-model-failures})
 */
public record BatchPolicy(int maxSize, long maxWaitMillis, long liveWindowMillis, int maxModelFailures)
        implements Serializable {

    /** Checks the ranges. */
    public BatchPolicy {
        if (maxSize < 1 || maxWaitMillis < 0 || liveWindowMillis < 0 || maxModelFailures < 1) {
            throw new IllegalArgumentException(
                    "batch policy needs max size >= 1, waits >= 0 and max model failures >= 1, got " + maxSize + ", "
                            + maxWaitMillis + " ms, " + liveWindowMillis + " ms, " + maxModelFailures);
        }
    }

    /** The policy a configuration names. */
    public static BatchPolicy of(PipelineConfig config) {
        return new BatchPolicy(
                config.batchMaxSize(),
                config.batchMaxWait().toMillis(),
                config.batchLiveWindow().toMillis(),
                config.maxModelFailures());
    }
}
