package org.salistream.trainer.step;

import java.util.Locale;
import org.salistream.model.nn.BatchNorm2dLayer;
import org.salistream.model.nn.ParameterPaths;
import org.salistream.model.sali.SaliNetwork;

/**
 * Which BatchNorm layers normalise with batch statistics during training.
 *
 * <p>The published {@code VideoModel.__init__} calls {@code freeze_bn()}, which puts the backbone's
 * BatchNorm layers in eval mode; but {@code train_video.py} then calls {@code model.train()} at the start of
 * every epoch, and {@code nn.Module.train()} switches every sub-module back to training mode. The published
 * training therefore runs every BatchNorm layer on batch statistics ({@link #BATCH}, the default here);
 * {@link #FROZEN_BACKBONE} is what {@code freeze_bn()} intended, and {@link #EVAL} (running statistics
 * everywhere) makes a step deterministic, as the golden training step was recorded.
 */
public enum BatchNormMode {
    /** Every layer on batch statistics, running statistics updated (momentum 0.1): the published behaviour. */
    BATCH,
    /** The backbone's layers on running statistics, the others on batch statistics: {@code freeze_bn()}. */
    FROZEN_BACKBONE,
    /** Every layer on running statistics, none updated. */
    EVAL;

    private static final String BACKBONE = "backbone";

    /** Sets the layers of {@code network} for this mode (it takes effect in training-mode forwards). */
    public void apply(SaliNetwork network) {
        ParameterPaths.blocks(network, BatchNorm2dLayer.class).forEach((path, bn) -> {
            boolean backbone = path.equals(BACKBONE) || path.startsWith(BACKBONE + ".");
            bn.setFrozen(this == EVAL || (this == FROZEN_BACKBONE && backbone));
        });
    }

    /** The option spelling, e.g. {@code frozen-backbone}. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@code batch}, {@code frozen-backbone} or {@code eval}. */
    public static BatchNormMode parse(String text) {
        for (BatchNormMode m : values()) {
            if (m.optionName().equalsIgnoreCase(text.trim()) || m.name().equalsIgnoreCase(text.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "unknown BatchNorm mode '" + text + "' (known: batch, frozen-backbone, eval)");
    }
}
