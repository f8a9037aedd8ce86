package org.salistream.pipeline.job;

import java.nio.file.Path;
import org.salistream.model.checkpoint.SaliModelLoader;
import org.salistream.model.stage.SaliStages;
import org.salistream.model.stage.StageWarmup;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.operators.StagesFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the configured model in each SALI subtask: the checkpoint named by {@code model.weights} (a
 * {@code .pth} or a native folder), or untrained weights when none is named (with a warning: the masks
 * then mean nothing); warmed up ({@link StageWarmup}) before the operator sees its first frame.
 */
public final class ModelStages implements StagesFactory {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModelStages.class);

    @Override
    public SaliStages open(PipelineConfig config) throws Exception {
        SaliStages stages = load(config);
        // Before the first real frame: the first calls of each shape would otherwise take seconds.
        long ms = StageWarmup.run(stages, config.batchMaxSize());
        LOG.info("SALI model warmed up in {} ms (batch sizes 1 and {})", ms, config.batchMaxSize());
        return stages;
    }

    private static SaliStages load(PipelineConfig config) throws Exception {
        Path weights = config.weights();
        if (weights == null) {
            LOG.warn("No model.weights configured: running SALI with UNTRAINED weights; masks are meaningless");
            return SaliModelLoader.untrained(config.model());
        }
        return SaliModelLoader.open(weights, config.model());
    }
}
