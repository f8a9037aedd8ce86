package org.salistream.trainer.optim;

/**
 * The published learning-rate schedule ({@code adjust_lr} of SALI's {@code utils/utils.py}), set at the start
 * of every epoch: {@code lr = init_lr * decay_rate ^ (epoch // decay_epoch)}, a step decay. The published
 * loop numbers epochs from 1 ({@code for epoch in range(1, opt.epoch)}), so with the defaults (1e-4, 0.1,
 * 50) epochs 1-49 train at 1e-4, 50-99 at 1e-5, 100-149 at 1e-6 and 150-199 at 1e-7.
 *
 * @param initialLr the published {@code --lr} (1e-4)
 * @param decayRate the published {@code --decay_rate} (0.1)
 * @param decayEpoch the published {@code --decay_epoch} (50)
 */
public record StepDecay(double initialLr, double decayRate, int decayEpoch) {

    /** The published default learning rate. */
    public static final double PUBLISHED_LR = 1e-4;
    /** The published default decay rate. */
    public static final double PUBLISHED_DECAY_RATE = 0.1;
    /** The published default decay period in epochs. */
    public static final int PUBLISHED_DECAY_EPOCH = 50;

    /** Validates. */
    public StepDecay {
        if (!(initialLr > 0) || Double.isInfinite(initialLr)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + initialLr);
        }
        if (!(decayRate > 0) || decayRate > 1) {
            throw new IllegalArgumentException("decay rate must be in (0, 1], got " + decayRate);
        }
        if (decayEpoch <= 0) {
            throw new IllegalArgumentException("decay epoch must be positive, got " + decayEpoch);
        }
    }

    /** The published schedule with another initial learning rate. */
    public static StepDecay published(double initialLr) {
        return new StepDecay(initialLr, PUBLISHED_DECAY_RATE, PUBLISHED_DECAY_EPOCH);
    }

    /** The learning rate of epoch {@code epoch} (numbered from 1, as published). */
    public double lr(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must not be negative, got " + epoch);
        }
        return initialLr * Math.pow(decayRate, epoch / decayEpoch);
    }
}
