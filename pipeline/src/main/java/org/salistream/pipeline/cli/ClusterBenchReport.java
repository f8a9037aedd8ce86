package org.salistream.pipeline.cli;

import java.util.Locale;
import java.util.Map;

/**
 * The result of {@code sali bench cluster}: a table of its measurements and one JSON line on standard output.
 * Separate from {@link BenchClusterCommand}, which runs the cluster scenario, so that the output (its columns and
 * the JSON keys that the README and comparisons between runs rely on) is defined in one place, away from the
 * steps that measure it.
 */
final class ClusterBenchReport {

    /** A state run's numbers; the recovery times are -1 for a run without a kill. */
    record StateRun(
            double msPerFrame,
            long checkpointBytes,
            long persistedBytes,
            long checkpointMillis,
            long toRunningMs,
            long toCheckpointMs,
            long toMasksMs) {}

    private final String backbone;
    private final int size;
    private final int procedures;
    private final int frames;
    private final int stateProcedures;
    private final int memoryLength;

    /** The run's settings, as the command's options gave them. */
    ClusterBenchReport(String backbone, int size, int procedures, int frames, int stateProcedures, int memoryLength) {
        this.backbone = backbone;
        this.size = size;
        this.procedures = procedures;
        this.frames = frames;
        this.stateProcedures = stateProcedures;
        this.memoryLength = memoryLength;
    }

    /** Prints the table, then the JSON line, to standard output. */
    void print(double one, double two, Map<String, StateRun> state) {
        System.out.printf(
                Locale.ROOT,
                "sali bench cluster (%d cores, %s@%d, untrained weights; one JVM per process)%n",
                Runtime.getRuntime().availableProcessors(),
                backbone,
                size);
        System.out.printf(
                Locale.ROOT,
                "throughput, %d procedures x %d frames: 1 TaskManager %.2f fps, 2 TaskManagers %.2f fps, ratio %.2f%n",
                procedures,
                frames,
                one,
                two,
                two / one);
        StringBuilder json = new StringBuilder(String.format(
                Locale.ROOT,
                "{\"bench\":\"cluster\",\"cores\":%d,\"model\":\"%s@%d\",\"fps1tm\":%.3f,\"fps2tm\":%.3f,\"ratio\":%.3f,\"state\":{",
                Runtime.getRuntime().availableProcessors(),
                backbone,
                size,
                one,
                two,
                two / one));
        String sep = "";
        for (Map.Entry<String, StateRun> e : state.entrySet()) {
            StateRun r = e.getValue();
            System.out.printf(
                    Locale.ROOT,
                    "state %-8s %d procedures, banks of %d frames: %.0f ms/frame, checkpoint %.1f MB "
                            + "(%.1f MB written) in %d ms (median of 3)%n",
                    e.getKey(),
                    stateProcedures,
                    memoryLength,
                    r.msPerFrame(),
                    r.checkpointBytes() / 1e6,
                    r.persistedBytes() / 1e6,
                    r.checkpointMillis());
            if (r.toRunningMs() >= 0) {
                System.out.printf(
                        Locale.ROOT,
                        "recovery after kill -9 (%s): running %d ms, first checkpoint %d ms, masks %d ms%n",
                        e.getKey(),
                        r.toRunningMs(),
                        r.toCheckpointMs(),
                        r.toMasksMs());
            }
            json.append(sep)
                    .append(String.format(
                            Locale.ROOT,
                            "\"%s\":{\"msPerFrame\":%.1f,\"checkpointBytes\":%d,"
                                    + "\"persistedBytes\":%d,\"checkpointMs\":%d,\"recoveryRunningMs\":%d,\"recoveryCheckpointMs\":%d,"
                                    + "\"recoveryMasksMs\":%d}",
                            e.getKey(),
                            r.msPerFrame(),
                            r.checkpointBytes(),
                            r.persistedBytes(),
                            r.checkpointMillis(),
                            r.toRunningMs(),
                            r.toCheckpointMs(),
                            r.toMasksMs()));
            sep = ",";
        }
        System.out.println(json.append("}}"));
    }
}
