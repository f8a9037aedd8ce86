package org.salistream.datasets.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a file of alert events (one JSON event per line, as on the {@code alerts} topic) into alert episodes.
 * The event format belongs to the kafka module, which this module does not see: the command line hands
 * {@code sali eval} the reader built on that format's serde.
 */
@FunctionalInterface
public interface AlertLog {

    /**
     * The episodes of a file.
     *
     * @throws IOException when the file cannot be read, or a line is not an alert event (naming the line)
     */
    List<DetectionMetrics.Episode> read(Path jsonl) throws IOException;
}
