package org.salistream.datasets.eval;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The 17 metrics of the VPS evaluation toolbox ({@code eval/evaluator.py} of the PNS+/SUN-SEG benchmark,
 * Ji et al., "Video Polyp Segmentation: A Deep Learning Perspective", MIR 2022), in the toolbox's order,
 * with the names it prints. Names containing {@code max} take the maximum over the 256 thresholds of the
 * case-averaged curve, the others its mean (a scalar metric's "curve" is its value repeated 256 times).
 */
public enum VpsMetric {
    SMEASURE("Smeasure", Module.SMEASURE),
    WFMEASURE("wFmeasure", Module.WEIGHTED_FMEASURE),
    MAE("MAE", Module.MAE),
    ADP_EM("adpEm", Module.EMEASURE),
    MEAN_EM("meanEm", Module.EMEASURE),
    MAX_EM("maxEm", Module.EMEASURE),
    ADP_FM("adpFm", Module.FMEASURE),
    MEAN_FM("meanFm", Module.FMEASURE),
    MAX_FM("maxFm", Module.FMEASURE),
    MEAN_SEN("meanSen", Module.MEDICAL),
    MAX_SEN("maxSen", Module.MEDICAL),
    MEAN_SPE("meanSpe", Module.MEDICAL),
    MAX_SPE("maxSpe", Module.MEDICAL),
    MEAN_DICE("meanDice", Module.MEDICAL),
    MAX_DICE("maxDice", Module.MEDICAL),
    MEAN_IOU("meanIoU", Module.MEDICAL),
    MAX_IOU("maxIoU", Module.MEDICAL);

    /** The toolbox's metric classes ({@code module_map_name}): one computation serves several metrics. */
    enum Module {
        SMEASURE,
        WEIGHTED_FMEASURE,
        MAE,
        EMEASURE,
        FMEASURE,
        MEDICAL
    }

    private final String toolboxName;
    private final Module module;

    VpsMetric(String toolboxName, Module module) {
        this.toolboxName = toolboxName;
        this.module = module;
    }

    /** The name the toolbox prints, e.g. {@code maxDice}. */
    public String toolboxName() {
        return toolboxName;
    }

    Module module() {
        return module;
    }

    /** True where the toolbox takes the maximum over thresholds ({@code 'max' in name}). */
    public boolean isMax() {
        return toolboxName.contains("max");
    }

    /** True for the metrics that have a per-frame curve over 256 thresholds. */
    public boolean isCurve() {
        return toolboxName.contains("max") || toolboxName.contains("mean");
    }

    /** The metric with this toolbox name (case-insensitive), or an error listing the valid names. */
    public static VpsMetric byName(String name) {
        String wanted = name.trim();
        for (VpsMetric m : values()) {
            if (m.toolboxName.equalsIgnoreCase(wanted) || m.name().equalsIgnoreCase(wanted)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + name + "'; valid: " + names(List.of(values())));
    }

    /** Parses a comma-separated list of toolbox names ("all" for every metric), keeping the given order. */
    public static List<VpsMetric> parseList(String list) {
        if (list == null
                || list.isBlank()
                || list.trim().toLowerCase(Locale.ROOT).equals("all")) {
            return List.of(values());
        }
        List<VpsMetric> out = new ArrayList<>();
        for (String part : list.split(",")) {
            if (!part.isBlank()) {
                VpsMetric m = byName(part);
                if (!out.contains(m)) {
                    out.add(m);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no metric named in '" + list + "'");
        }
        return List.copyOf(out);
    }

    static Set<Module> modules(List<VpsMetric> metrics) {
        Set<Module> set = EnumSet.noneOf(Module.class);
        for (VpsMetric m : metrics) {
            set.add(m.module);
        }
        return set;
    }

    private static String names(List<VpsMetric> metrics) {
        StringBuilder sb = new StringBuilder();
        for (VpsMetric m : metrics) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(m.toolboxName);
        }
        return sb.toString();
    }
}
