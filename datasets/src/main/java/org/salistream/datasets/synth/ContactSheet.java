package org.salistream.datasets.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.salistream.datasets.GrayImage;
import org.salistream.datasets.ImageFiles;

/**
 * A contact sheet of synthetic frames: a grid of cells, each a frame scaled down with its mask drawn as a
 * green outline and a caption naming the case, the frame and any low-quality effect. Used for the
 * README's picture ({@code docs/synth-contact-sheet.png}):
 * {@code java ... org.salistream.datasets.synth.ContactSheet OUT.png [SEED]}.
 */
public final class ContactSheet {

    private ContactSheet() {}

    /** One cell: a frame of a case. */
    public record Cell(SyntheticCase source, int frame) {}

    /** Draws the cells into a {@code columns}-wide grid of {@code cellSize}-pixel squares. */
    public static BufferedImage draw(List<Cell> cells, int columns, int cellSize) {
        int rows = (cells.size() + columns - 1) / columns;
        int gap = 4;
        BufferedImage sheet = new BufferedImage(
                columns * (cellSize + gap) + gap, rows * (cellSize + gap) + gap, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setColor(new Color(24, 24, 24));
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            SyntheticFrame f = c.source().render(c.frame());
            int x0 = gap + (i % columns) * (cellSize + gap);
            int y0 = gap + (i / columns) * (cellSize + gap);
            BufferedImage img = f.image();
            g.drawImage(img, x0, y0, cellSize, cellSize, null);
            outline(g, f.mask(), x0, y0, cellSize);
            String caption =
                    c.source().id() + " #" + c.frame() + effects(f.info().degradations());
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, cellSize / 16)));
            g.setColor(new Color(0, 0, 0, 150));
            g.fillRect(x0, y0 + cellSize - cellSize / 11, cellSize, cellSize / 11);
            g.setColor(Color.WHITE);
            g.drawString(caption, x0 + 4, y0 + cellSize - cellSize / 40);
        }
        g.dispose();
        return sheet;
    }

    private static String effects(Set<Degradation> kinds) {
        if (kinds.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" ");
        for (Degradation d : EnumSet.copyOf(kinds)) {
            sb.append(sb.length() > 1 ? "+" : "")
                    .append(
                            switch (d) {
                                case MOTION_BLUR -> "motion";
                                case DEFOCUS -> "defocus";
                                case OVER_EXPOSURE -> "overexposed";
                                case BUBBLES -> "bubbles";
                                case OUT_OF_VIEW -> "out-of-view";
                            });
        }
        return sb.toString();
    }

    /** The mask's boundary pixels, scaled into the cell, in green. */
    private static void outline(Graphics2D g, GrayImage mask, int x0, int y0, int cell) {
        int w = mask.width();
        int h = mask.height();
        g.setColor(new Color(60, 255, 90));
        g.setStroke(new BasicStroke(1.2f));
        double sx = (double) cell / w;
        double sy = (double) cell / h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (mask.get(x, y) == 0) {
                    continue;
                }
                boolean edge = x == 0
                        || y == 0
                        || x == w - 1
                        || y == h - 1
                        || mask.get(x - 1, y) == 0
                        || mask.get(x + 1, y) == 0
                        || mask.get(x, y - 1) == 0
                        || mask.get(x, y + 1) == 0;
                if (edge) {
                    g.fillRect(
                            x0 + (int) (x * sx),
                            y0 + (int) (y * sy),
                            Math.max(1, (int) Math.ceil(sx)),
                            Math.max(1, (int) Math.ceil(sy)));
                }
            }
        }
    }

    /**
     * Writes the README's contact sheet: 16 frames from four cases (352x352), clean frames and every kind of
     * low-quality frame, masks outlined.
     */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/synth-contact-sheet.png");
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 7;
        int cellSize = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        SynthOptions o =
                SynthOptions.builder().size(352, 352).frames(80).polyps(1, 3).build();
        SyntheticProcedureGenerator gen = new SyntheticProcedureGenerator(o, seed);
        List<Cell> cells = new ArrayList<>();
        Set<Degradation> shown = EnumSet.noneOf(Degradation.class);
        for (int n = 1; n <= 4; n++) {
            cells.addAll(pick(gen.generateCase(n), shown));
        }
        BufferedImage sheet = draw(cells, 4, cellSize);
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        ImageFiles.writePng(out, sheet);
        System.out.println("wrote " + out + " (" + Files.size(out) / 1024 + " KiB)");
    }

    /**
     * Four frames of a case: clean frames with the polyp in view, and the middle frame of low-quality
     * segments of kinds not yet on the sheet.
     */
    private static List<Cell> pick(SyntheticCase c, Set<Degradation> shown) {
        List<Cell> cells = new ArrayList<>();
        for (Degradation d : Degradation.values()) {
            if (shown.contains(d) || cells.size() >= 2) {
                continue;
            }
            int first = -1;
            int last = -1;
            for (int f = 1; f < c.frameCount() - 1; f++) {
                if (c.degradations(f).contains(d)) {
                    first = first < 0 ? f : first;
                    last = f;
                } else if (first >= 0) {
                    break;
                }
            }
            if (first >= 0) {
                cells.add(new Cell(c, (first + last) / 2));
                shown.add(d);
            }
        }
        for (int k = 1; cells.size() < 4 && k < 12; k++) {
            int f = k * c.frameCount() / 12;
            if (c.degradations(f).isEmpty() && cells.stream().noneMatch(x -> Math.abs(x.frame() - f) < 8)) {
                cells.add(new Cell(c, f));
            }
        }
        cells.sort((a, b) -> Integer.compare(a.frame(), b.frame()));
        return cells;
    }
}
