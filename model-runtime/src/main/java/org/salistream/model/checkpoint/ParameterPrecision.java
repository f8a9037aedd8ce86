package org.salistream.model.checkpoint;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The storage precision of a network's parameters: a shipped checkpoint may store them as float16 (half
 * the bytes in the repository's history), and every network computes in float32. DJL's parameter format
 * keeps each array's type, so a float16 file loads as float16 arrays; {@link #cast} turns them into float32
 * arrays (exact: every float16 is a float32) before anything runs, and turns float32 arrays into float16
 * ones (rounded to nearest even) for writing such a file.
 *
 * <p>A loaded {@link Parameter} refuses {@code setArray}; its {@code load} replaces the array, so the cast
 * array is passed through DJL's own encoding of one parameter.
 */
public final class ParameterPrecision {

    private ParameterPrecision() {}

    /**
     * Replaces every parameter array of type {@code from} in {@code network} (children included) by its
     * cast to {@code to}, in the manager of the array it replaces; other arrays (integer counters) stay.
     *
     * @return how many arrays were cast
     * @throws IllegalArgumentException unless both types are floating-point ones
     */
    public static int cast(Block network, DataType from, DataType to) {
        if (!from.isFloating() || !to.isFloating()) {
            throw new IllegalArgumentException(
                    "parameter precision: " + from + " -> " + to + " is not a floating-point cast");
        }
        if (from == to) {
            return 0;
        }
        int cast = 0;
        for (Pair<String, Parameter> entry : network.getParameters()) {
            Parameter parameter = entry.getValue();
            if (!parameter.isInitialized() || parameter.getArray().getDataType() != from) {
                continue;
            }
            NDArray old = parameter.getArray();
            try (NDArray converted = old.toType(to, true)) {
                Parameter carrier = Parameter.builder()
                        .setName(parameter.getName())
                        .setType(Parameter.Type.OTHER)
                        .optArray(converted)
                        .build();
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (DataOutputStream out = new DataOutputStream(bytes)) {
                    carrier.save(out);
                }
                parameter.load(old.getManager(), new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            } catch (IOException | MalformedModelException e) {
                // In-memory streams of DJL's own encoding: neither can fail unless DJL changed its format.
                throw new IllegalStateException("parameter precision: cannot re-encode " + parameter.getName(), e);
            }
            if (old.hasGradient()) {
                // A training network's array: the cast one takes part in autograd as the old one did.
                parameter.getArray().setRequiresGradient(true);
            }
            old.close();
            cast++;
        }
        return cast;
    }
}
