package org.salistream.pipeline.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link StandaloneCluster#start} starts: how many task managers with how many slots, their memory,
 * where the cluster's files go, the classpath of its JVMs, and extra Flink settings.
 *
 * @param taskManagers task manager processes
 * @param slots slots per task manager
 * @param dir the cluster's folder (configuration, logs, pid files)
 * @param taskManagerMemory {@code taskmanager.memory.process.size}; libtorch's own allocations come on top
 *     (they are native and outside Flink's budget)
 * @param jobManagerMemory {@code jobmanager.memory.process.size}
 * @param classpath the JVMs' classpath: Flink, the connectors, DJL with libtorch, and (for jobs submitted
 *     without a jar) the job's classes
 * @param jvmOptions extra JVM flags for every process
 * @param flink extra Flink settings (override the defaults of {@link ClusterConfig})
 * @param startTimeout how long to wait for the task managers to register
 */
public record ClusterSpec(
        int taskManagers,
        int slots,
        Path dir,
        String taskManagerMemory,
        String jobManagerMemory,
        String classpath,
        List<String> jvmOptions,
        Map<String, String> flink,
        Duration startTimeout) {

    /** Checks the counts and copies the collections. */
    public ClusterSpec {
        if (taskManagers < 0 || slots < 1) {
            throw new IllegalArgumentException(
                    "a cluster needs >= 0 task managers and >= 1 slot each, got " + taskManagers + " and " + slots);
        }
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(classpath, "classpath");
        jvmOptions = List.copyOf(jvmOptions);
        flink = Map.copyOf(flink);
    }

    /** A builder with the defaults: 1 task manager with 2 slots, 1280m each, the JobManager 768m. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options of a {@link ClusterSpec}. */
    public static final class Builder {
        private int taskManagers = 1;
        private int slots = 2;
        private Path dir = Path.of("sali-cluster");
        private String taskManagerMemory = "1280m";
        private String jobManagerMemory = "768m";
        private String classpath = System.getProperty("java.class.path");
        private List<String> jvmOptions = List.of();
        private final Map<String, String> flink = new LinkedHashMap<>();
        private Duration startTimeout = Duration.ofMinutes(3);

        private Builder() {}

        /** Task manager processes. */
        public Builder taskManagers(int n) {
            this.taskManagers = n;
            return this;
        }

        /** Slots per task manager. */
        public Builder slots(int n) {
            this.slots = n;
            return this;
        }

        /** The cluster's folder. */
        public Builder dir(Path d) {
            this.dir = d;
            return this;
        }

        /** Memory of each task manager process, Flink's syntax (e.g. 1280m). */
        public Builder taskManagerMemory(String size) {
            this.taskManagerMemory = size;
            return this;
        }

        /** The JVMs' classpath (default: this JVM's). */
        public Builder classpath(String cp) {
            this.classpath = cp;
            return this;
        }

        /** Extra JVM flags for every process. */
        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = options;
            return this;
        }

        /** One extra Flink setting. */
        public Builder flink(String key, String value) {
            flink.put(key, value);
            return this;
        }

        /** How long to wait for the task managers to register. */
        public Builder startTimeout(Duration d) {
            this.startTimeout = d;
            return this;
        }

        /** The spec. */
        public ClusterSpec build() {
            return new ClusterSpec(
                    taskManagers,
                    slots,
                    dir,
                    taskManagerMemory,
                    jobManagerMemory,
                    classpath,
                    jvmOptions,
                    flink,
                    startTimeout);
        }
    }
}
