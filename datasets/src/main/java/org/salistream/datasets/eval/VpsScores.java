package org.salistream.datasets.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the VPS toolbox reports for one split and one model: a value per metric (unrounded; the toolbox's
 * table shows them to three decimals), with how many cases and evaluated frames they cover.
 *
 * @param split  the split, e.g. {@code TestEasyDataset/Seen}
 * @param model  the model (prediction folder) name
 * @param values metric -> value, in the requested metric order
 * @param cases  cases averaged
 * @param frames frames evaluated (each case without its first and last frame)
 */
public record VpsScores(String split, String model, Map<VpsMetric, Double> values, int cases, int frames) {

    public VpsScores {
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(model, "model");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The value of one metric; an error when it was not computed. */
    public double value(VpsMetric metric) {
        Double v = values.get(metric);
        if (v == null) {
            throw new IllegalArgumentException(
                    metric.toolboxName() + " was not computed; computed: " + values.keySet());
        }
        return v;
    }
}
