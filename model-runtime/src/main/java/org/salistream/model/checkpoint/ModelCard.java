package org.salistream.model.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model card ({@value #FILE}) beside a shipped checkpoint: what the model is, how it was trained and how
 * well it does, for people; and the SHA-256 of each file of the checkpoint, in {@code sha256sum}'s format
 * ({@code <64 hex>  <file name>}, one per line, so {@code sha256sum -c} checks them too), for the loader. A
 * checkpoint folder with a card loads only when every digest the card lists matches its file, so a card
 * never describes other weights than those it sits beside.
 */
public final class ModelCard {

    /** The card's file name. */
    public static final String FILE = "MODEL_CARD.md";

    private static final Pattern DIGEST = Pattern.compile("(?m)^([0-9a-f]{64}) [ *]([A-Za-z0-9._-]+)\\s*$");

    private ModelCard() {}

    /** Whether {@code dir} holds a model card. */
    public static boolean present(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    /** The digests a card lists, by file name, in order. */
    public static Map<String, String> digests(String card) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = DIGEST.matcher(card);
        while (m.find()) {
            out.put(m.group(2), m.group(1));
        }
        return out;
    }

    /**
     * Checks the card of {@code dir} against the files; does nothing where there is no card.
     *
     * @throws CheckpointException when the card lists no digest, names a missing file, or a digest differs
     */
    public static void verify(Path dir) throws CheckpointException {
        Path card = dir.resolve(FILE);
        if (!Files.isRegularFile(card)) {
            return;
        }
        Map<String, String> digests;
        try {
            digests = digests(Files.readString(card));
        } catch (IOException e) {
            throw new CheckpointException(card + ": unreadable model card: " + e.getMessage(), e);
        }
        if (digests.isEmpty()) {
            throw new CheckpointException(card + ": the model card lists no SHA-256 of the checkpoint's files"
                    + " (lines '<sha256>  <file>')");
        }
        for (Map.Entry<String, String> d : digests.entrySet()) {
            Path file = dir.resolve(d.getKey());
            if (!Files.isRegularFile(file)) {
                throw new CheckpointException(card + ": the model card lists " + d.getKey() + ", which is missing");
            }
            String actual;
            try {
                actual = Sha256.ofFile(file);
            } catch (IOException e) {
                throw new CheckpointException(file + ": unreadable: " + e.getMessage(), e);
            }
            if (!actual.equals(d.getValue())) {
                throw new CheckpointException(file + ": SHA-256 " + actual + " does not match the model card's "
                        + d.getValue() + " (" + FILE + " describes other weights, or the file was changed)");
            }
        }
    }
}
