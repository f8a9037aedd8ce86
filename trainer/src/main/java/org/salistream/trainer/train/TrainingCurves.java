package org.salistream.trainer.train;

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
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The curves of a training run, written next to the checkpoints after every epoch: {@value #CSV} (one row per
 * epoch: steps, learning rate, mean training loss, validation scores, time) and {@value #PNG} (the training
 * loss and the validation Dice / S-measure against the step, drawn with Java2D). A resumed run reads the
 * rows back and keeps those up to the epoch it continues from.
 */
public final class TrainingCurves {

    /** The CSV file name. */
    public static final String CSV = "training.csv";
    /** The plot file name. */
    public static final String PNG = "training.png";

    static final String HEADER = "epoch,step,lr,train_loss,val_dice,val_mae,val_Smeasure,val_meanDice,val_maxDice,"
            + "val_meanIoU,epoch_seconds,train_steps_per_s";

    /** One epoch's row; validation fields are NaN without validation. */
    public record Row(
            int epoch,
            long step,
            double lr,
            double trainLoss,
            double valDice,
            double valMae,
            double valSmeasure,
            double valMeanDice,
            double valMaxDice,
            double valMeanIou,
            double seconds,
            double stepsPerSecond) {

        String csv() {
            return String.format(
                    Locale.ROOT,
                    "%d,%d,%.6g,%.6f,%s,%s,%s,%s,%s,%s,%s,%s",
                    epoch,
                    step,
                    lr,
                    trainLoss,
                    num(valDice),
                    num(valMae),
                    num(valSmeasure),
                    num(valMeanDice),
                    num(valMaxDice),
                    num(valMeanIou),
                    num(seconds),
                    num(stepsPerSecond));
        }

        static Row parse(String line) {
            String[] f = line.split(",", -1);
            if (f.length != 12) {
                throw new IllegalArgumentException(
                        "a row of " + CSV + " needs 12 fields, got " + f.length + ": " + line);
            }
            return new Row(
                    Integer.parseInt(f[0]),
                    Long.parseLong(f[1]),
                    d(f[2]),
                    d(f[3]),
                    d(f[4]),
                    d(f[5]),
                    d(f[6]),
                    d(f[7]),
                    d(f[8]),
                    d(f[9]),
                    d(f[10]),
                    d(f[11]));
        }

        private static String num(double v) {
            return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
        }

        private static double d(String s) {
            return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
        }
    }

    private final List<Row> rows = new ArrayList<>();

    /** The rows so far. */
    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** Adds an epoch's row. */
    public void add(Row row) {
        rows.add(row);
    }

    /**
     * The rows of {@code <dir>/}{@value #CSV} up to and including {@code lastEpoch} (none when there is no
     * such file).
     */
    public static TrainingCurves read(Path dir, int lastEpoch) throws IOException {
        TrainingCurves c = new TrainingCurves();
        Path csv = dir.resolve(CSV);
        if (Files.isRegularFile(csv)) {
            List<String> lines = Files.readAllLines(csv);
            for (String l : lines.subList(Math.min(1, lines.size()), lines.size())) {
                if (!l.isBlank()) {
                    Row r = Row.parse(l);
                    if (r.epoch() <= lastEpoch) {
                        c.rows.add(r);
                    }
                }
            }
        }
        return c;
    }

    /** Writes {@value #CSV} and {@value #PNG} into {@code dir}. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        rows.forEach(r -> b.append(r.csv()).append('\n'));
        Files.writeString(dir.resolve(CSV), b.toString());
        ImageIO.write(plot(), "png", dir.resolve(PNG).toFile());
    }

    /** Loss (left axis, log scale) and validation Dice / S-measure (right axis, 0..1) against the step. */
    BufferedImage plot() {
        int w = 900;
        int h = 420;
        int left = 70;
        int right = w - 70;
        int top = 60;
        int bottom = h - 50;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawRect(left, top, right - left, bottom - top);
        g.drawString("step", (left + right) / 2, h - 15);
        g.drawString("training loss (log)", 5, top - 10);
        g.drawString("validation (0..1)", right - 60, top - 10);
        long maxStep = rows.stream().mapToLong(Row::step).max().orElse(1);
        double lo = rows.stream()
                .mapToDouble(Row::trainLoss)
                .filter(v -> v > 0)
                .min()
                .orElse(0.1);
        double hi = rows.stream()
                .mapToDouble(Row::trainLoss)
                .filter(v -> v > 0)
                .max()
                .orElse(1);
        double logLo = Math.log10(lo) - 0.05;
        double logHi = Math.log10(hi) + 0.05;
        for (int i = 0; i <= 4; i++) {
            int y = bottom - i * (bottom - top) / 4;
            g.setColor(new Color(225, 225, 225));
            g.drawLine(left + 1, y, right - 1, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.3g", Math.pow(10, logLo + i * (logHi - logLo) / 4)), 5, y + 4);
            g.drawString(String.format(Locale.ROOT, "%.2f", i / 4.0), right + 6, y + 4);
        }
        g.drawString("0", left, bottom + 16);
        g.drawString(Long.toString(maxStep), right - 30, bottom + 16);
        int[] xs = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            xs[i] = left + (int) Math.round((double) rows.get(i).step() / maxStep * (right - left));
        }
        series(
                g,
                xs,
                rows.stream()
                        .mapToDouble(r ->
                                r.trainLoss() > 0 ? (Math.log10(r.trainLoss()) - logLo) / (logHi - logLo) : Double.NaN)
                        .toArray(),
                top,
                bottom,
                new Color(200, 40, 40),
                "training loss",
                0);
        series(
                g,
                xs,
                rows.stream().mapToDouble(Row::valDice).toArray(),
                top,
                bottom,
                new Color(30, 90, 200),
                "validation Dice",
                1);
        series(
                g,
                xs,
                rows.stream().mapToDouble(Row::valSmeasure).toArray(),
                top,
                bottom,
                new Color(20, 150, 60),
                "validation S-measure",
                2);
        series(
                g,
                xs,
                rows.stream().mapToDouble(Row::valMaxDice).toArray(),
                top,
                bottom,
                new Color(140, 60, 170),
                "validation maxDice",
                3);
        g.dispose();
        return img;
    }

    private static void series(
            Graphics2D g, int[] xs, double[] unit, int top, int bottom, Color c, String name, int legend) {
        g.setColor(c);
        g.setStroke(new BasicStroke(2));
        int px = -1;
        int py = -1;
        for (int i = 0; i < xs.length; i++) {
            if (Double.isNaN(unit[i])) {
                continue;
            }
            int y = bottom - (int) Math.round(Math.max(0, Math.min(1, unit[i])) * (bottom - top));
            g.fillOval(xs[i] - 3, y - 3, 7, 7);
            if (px >= 0) {
                g.drawLine(px, py, xs[i], y);
            }
            px = xs[i];
            py = y;
        }
        g.drawLine(90 + legend * 190, 20, 110 + legend * 190, 20);
        g.drawString(name, 115 + legend * 190, 24);
    }
}
