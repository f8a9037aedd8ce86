package org.salistream.pipeline.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.core.execution.JobClient;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.job.JobLauncher;
import org.salistream.pipeline.job.SegmentationJob;

/** Starts the real segmentation job (Kafka source and transactional sinks) on the test's MiniCluster. */
public final class JobHarness {

    private JobHarness() {}

    /** The test model's job configuration against {@code bootstrap}, with overrides as key/value pairs. */
    public static PipelineConfig config(String bootstrap, String... overrides) {
        Map<String, String> m = new HashMap<>(TestModels.modelKeys());
        m.put("kafka.bootstrap-servers", bootstrap);
        m.put("checkpoint.interval", "500ms");
        m.put("batch.max-size", "1");
        // Longer than any backlog a loaded machine drains after a restart: idle closing is the unit tests' business.
        m.put("procedure.idle-timeout", "5m");
        for (int i = 0; i < overrides.length; i += 2) {
            m.put(overrides[i], overrides[i + 1]);
        }
        return PipelineConfig.of(m);
    }

    /** Creates the topics and starts the job asynchronously, wired as {@code sali run} wires it. */
    public static JobClient start(PipelineConfig config) throws Exception {
        return JobLauncher.start(config, true);
    }

    /** Creates the topics and starts the job as {@code customize} changes it (a fault injector, a failing model). */
    public static JobClient start(PipelineConfig config, UnaryOperator<SegmentationJob> customize) throws Exception {
        return JobLauncher.start(config, JobLauncher.Target.local(), customize);
    }
}
