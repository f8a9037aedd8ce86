package org.salistream.pipeline.job;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.salistream.pipeline.config.PipelineConfig;

/**
 * Entry point for {@code flink run -c org.salistream.pipeline.job.SegmentationJobMain sali-pipeline-job.jar
 * [--config FILE] [--kafka-config FILE] [key=value ...]}: parses and wires, nothing else. The Kafka client file
 * (TLS, SASL) becomes {@code kafka.client.*} keys, as with {@code sali run --kafka-config}.
 */
public final class SegmentationJobMain {

    private SegmentationJobMain() {}

    /** Runs the job until it is cancelled. */
    public static void main(String[] args) throws Exception {
        Path file = null;
        Path kafkaConfig = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                file = Path.of(args[++i]);
            } else if (args[i].equals("--kafka-config") && i + 1 < args.length) {
                kafkaConfig = Path.of(args[++i]);
            } else if (args[i].contains("=")) {
                String[] kv = args[i].split("=", 2);
                overrides.put(kv[0], kv[1]);
            } else {
                throw new IllegalArgumentException(
                        "usage: [--config FILE] [--kafka-config FILE] [key=value ...]; got '" + args[i] + "'");
            }
        }
        PipelineConfig config = PipelineConfig.load(file, kafkaConfig, overrides);
        JobLauncher.prepare(config, true).execute(config.get("job.name"));
    }
}
