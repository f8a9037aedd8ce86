package org.salistream.model.checkpoint;

import java.util.Optional;
import org.salistream.model.pvt.PvtV2Config;

/**
 * Recognises which PVTv2 configuration a SALI state dict was trained with, from its stage widths and block
 * counts, so that a checkpoint for another backbone is refused with a message that names both rather than
 * a list of size mismatches.
 */
public final class BackboneDetector {

    private static final PvtV2Config[] KNOWN = {
        PvtV2Config.B0, PvtV2Config.B1, PvtV2Config.B2, PvtV2Config.B3, PvtV2Config.B4, PvtV2Config.B5
    };

    private BackboneDetector() {}

    /**
     * The configuration whose shapes the state dict has, if any.
     *
     * @param prefix the encoder's key prefix, e.g. {@code backbone.feat_net.pvtv2_en.} ("" for a
     *     backbone-only file)
     */
    public static Optional<PvtV2Config> detect(StateDict sd, String prefix) {
        for (PvtV2Config c : KNOWN) {
            if (matches(sd, prefix, c)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    private static boolean matches(StateDict sd, String prefix, PvtV2Config c) {
        for (int i = 0; i < c.stages(); i++) {
            TensorData w =
                    sd.find(prefix + "patch_embed" + (i + 1) + ".proj.weight").orElse(null);
            if (w == null || w.shape()[0] != c.embedDims()[i]) {
                return false;
            }
            int depth = c.depths()[i];
            if (!sd.contains(prefix + "block" + (i + 1) + "." + (depth - 1) + ".norm1.weight")
                    || sd.contains(prefix + "block" + (i + 1) + "." + depth + ".norm1.weight")) {
                return false;
            }
            TensorData fc1 =
                    sd.find(prefix + "block" + (i + 1) + ".0.mlp.fc1.weight").orElse(null);
            if (fc1 == null || fc1.shape()[0] != (long) c.embedDims()[i] * c.mlpRatios()[i]) {
                return false;
            }
        }
        return true;
    }
}
