package org.salistream.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.salistream.ops.testing.Golden;

/** The cases of {@code golden/ops/cases.json}, filtered by op ({@code interpolate} or {@code deform_conv2d}). */
final class OpsGoldenCases {

    private OpsGoldenCases() {}

    /** Every case of the given op; skips the calling test when the golden data are absent. */
    static List<JsonNode> of(String op) {
        Path file = Golden.require("ops/cases.json");
        try {
            JsonNode all = new ObjectMapper().readTree(file.toFile());
            List<JsonNode> out = new ArrayList<>();
            for (JsonNode c : all) {
                if (op.equals(c.get("op").asText())) {
                    out.add(c);
                }
            }
            if (out.isEmpty()) {
                throw new IllegalStateException(file + " lists no case of op " + op);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] ints(JsonNode array) {
        int[] v = new int[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asInt();
        }
        return v;
    }
}
