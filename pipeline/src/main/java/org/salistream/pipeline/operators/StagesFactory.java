package org.salistream.pipeline.operators;

import java.io.Serializable;
import org.salistream.model.stage.SaliStages;
import org.salistream.pipeline.config.PipelineConfig;

/**
 * Opens the model of a SALI operator in its {@code open()}: one instance per parallel subtask, closed in
 * {@code close()}. Serializable so that it travels with the job graph.
 */
@FunctionalInterface
public interface StagesFactory extends Serializable {

    /** Opens the model the configuration names. */
    SaliStages open(PipelineConfig config) throws Exception;
}
