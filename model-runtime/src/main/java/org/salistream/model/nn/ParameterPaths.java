package org.salistream.model.nn;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The PyTorch {@code state_dict} names of a block tree's parameters ({@code a.b.c.weight}), from the child
 * names given to {@code addChildBlock}. DJL prefixes each child name with a two-digit position
 * ({@code 01backbone}); the prefix is dropped here so that names match the published checkpoint.
 */
public final class ParameterPaths {

    private ParameterPaths() {}

    /** Every parameter of {@code root} by its dotted name, in registration order. */
    public static Map<String, Parameter> of(Block root) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect(root, "", out, null);
        return out;
    }

    /** Every block of type {@code type} under {@code root} by its dotted path ("" for the root itself). */
    public static <B extends Block> Map<String, B> blocks(Block root, Class<B> type) {
        Map<String, B> out = new LinkedHashMap<>();
        collect(root, "", new LinkedHashMap<>(), (path, block) -> {
            if (type.isInstance(block)) {
                out.put(path, type.cast(block));
            }
        });
        return out;
    }

    /** A child name without DJL's two-digit position prefix. */
    public static String childName(String djlName) {
        if (djlName.length() > 2 && Character.isDigit(djlName.charAt(0)) && Character.isDigit(djlName.charAt(1))) {
            return djlName.substring(2);
        }
        return djlName;
    }

    private interface Visitor {
        void visit(String path, Block block);
    }

    private static void collect(Block block, String prefix, Map<String, Parameter> out, Visitor visitor) {
        if (visitor != null) {
            visitor.visit(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1), block);
        }
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            out.put(prefix + p.getKey(), p.getValue());
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(child.getValue(), prefix + childName(child.getKey()) + ".", out, visitor);
        }
    }
}
