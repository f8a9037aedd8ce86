package org.salistream.pipeline.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.salistream.datasets.GrayImage;
import org.salistream.datasets.RecordedFrame;
import org.salistream.datasets.RecordedProcedure;
import org.salistream.datasets.SunSegLayout;
import org.salistream.datasets.eval.DetectionMetrics;
import org.salistream.datasets.eval.FrameTruth;
import org.salistream.datasets.eval.StreamingEvaluator;
import org.salistream.datasets.eval.SubsetEvaluator;
import org.salistream.datasets.eval.VpsMetric;
import org.salistream.datasets.eval.VpsScores;
import org.salistream.datasets.synth.Mp4Writer;
import org.salistream.kafka.AlertEvent;
import org.salistream.kafka.BoundingBox;
import org.salistream.kafka.MaskEnvelope;
import org.salistream.kafka.MaskPng;
import org.salistream.pipeline.cli.AlertFile;

/**
 * What the demo leaves behind for a person to look at: the masks as the VPS toolbox reads them, an
 * overlay video per procedure (mask tint, ground-truth outline, boxes, alert banner), a contact strip, and
 * a summary with throughput, latency, alerts and the toolbox's scores against the synthetic ground truth.
 */
public final class DemoReport {

    /** The toolbox's metrics the summary prints. */
    private static final List<VpsMetric> SCORED =
            List.of(VpsMetric.SMEASURE, VpsMetric.MEAN_DICE, VpsMetric.MEAN_IOU, VpsMetric.MAE);

    /** The split folder of the demo's procedures under the output folder. */
    public static final String SPLIT = "demo";
    /** The alert events, one JSON per line as on the alerts topic. */
    static final String ALERTS = "alerts.jsonl";
    /** The replay rate of the demo's procedures. */
    static final double FPS = 25;

    private final Path out;

    public DemoReport(Path out) {
        this.out = out;
    }

    /** Writes everything; returns the summary text. */
    public String write(
            Map<String, RecordedProcedure> procedures,
            List<ResultReader.SeenMask> seen,
            List<AlertEvent> alerts,
            String modelLine,
            long framesSent,
            double wallSeconds,
            String rate)
            throws IOException {
        Map<String, List<ResultReader.SeenMask>> byProc = new LinkedHashMap<>();
        procedures.keySet().forEach(p -> byProc.put(p, new ArrayList<>()));
        seen.forEach(s -> byProc.computeIfAbsent(s.mask().procedureId(), k -> new ArrayList<>())
                .add(s));
        StreamingEvaluator eval = new StreamingEvaluator("demo", "SALI");
        SubsetEvaluator withPolyp = new SubsetEvaluator(SCORED, "SALI");
        List<BufferedImage> stripRows = new ArrayList<>();
        for (Map.Entry<String, RecordedProcedure> p : procedures.entrySet()) {
            stripRows.add(writeProcedure(p.getKey(), p.getValue(), byProc.get(p.getKey()), alerts, eval, withPolyp));
        }
        ImageIO.write(stack(stripRows), "png", out.resolve("strip.png").toFile());
        AlertFile.write(out.resolve(ALERTS), alerts);
        SunSegLayout layout = SunSegLayout.ofSplitRoot(out.resolve(SPLIT));
        Map<String, List<FrameTruth>> truth = new LinkedHashMap<>();
        for (String id : procedures.keySet()) {
            truth.put(id, FrameTruth.read(layout, id));
        }
        VpsScores polypFrames = withPolyp.results().get(SubsetEvaluator.WITH_POLYP);
        return summary(byProc, alerts, eval.result(), polypFrames, truth, modelLine, framesSent, wallSeconds, rate);
    }

    private BufferedImage writeProcedure(
            String id,
            RecordedProcedure rec,
            List<ResultReader.SeenMask> masks,
            List<AlertEvent> alerts,
            StreamingEvaluator eval,
            SubsetEvaluator withPolyp)
            throws IOException {
        Path pred = Files.createDirectories(
                out.resolve("pred").resolve("SALI").resolve("demo").resolve(id));
        Map<Long, MaskEnvelope> byIndex = new LinkedHashMap<>();
        masks.forEach(s -> byIndex.put(s.mask().frameIndex(), s.mask()));
        List<BufferedImage> picks = new ArrayList<>();
        int total = rec.frameCount().orElse(byIndex.size());
        int every = Math.max(1, total / 6);
        Mp4Writer video = null;
        try (Stream<RecordedFrame> frames = rec.frames()) {
            for (RecordedFrame f : (Iterable<RecordedFrame>) frames::iterator) {
                MaskEnvelope m = byIndex.get((long) f.index());
                if (m == null) {
                    continue;
                }
                String name = f.name().replaceAll("\\.[^.]+$", "") + ".png";
                Files.write(pred.resolve(name), m.maskPng());
                MaskPng.Gray prob = MaskPng.decodeGray(m.maskPng());
                if (f.mask().isPresent()) {
                    GrayImage gt = f.mask().get();
                    GrayImage p = new GrayImage(prob.width(), prob.height(), prob.pixels());
                    eval.add(id, f.index(), gt, p);
                    // The same protocol (no first or last frame), on the frames that show a polyp only.
                    if (f.index() > 0 && f.index() < total - 1 && SubsetEvaluator.showsPolyp(gt)) {
                        withPolyp.add(Set.of(SubsetEvaluator.WITH_POLYP), id, gt, p);
                    }
                }
                BufferedImage overlay =
                        overlay(f.image(), prob, m, f.mask().orElse(null), alertOpen(alerts, id, f.index()));
                if (video == null) {
                    video = new Mp4Writer(
                            out.resolve("overlay-" + id + ".mp4"),
                            overlay.getWidth() & ~1,
                            overlay.getHeight() & ~1,
                            25);
                }
                video.write(overlay);
                if (f.index() % every == 0 && picks.size() < 6) {
                    picks.add(overlay);
                }
            }
        } finally {
            if (video != null) {
                video.close();
            }
        }
        return row(picks);
    }

    private static boolean alertOpen(List<AlertEvent> alerts, String id, long frame) {
        boolean open = false;
        for (AlertEvent a : alerts) {
            if (a.procedureId().equals(id) && a.frameIndex() <= frame) {
                open = a.type() == AlertEvent.Type.APPEARED;
            }
        }
        return open;
    }

    /** The frame with the mask tinted green (strength follows the map scaled by the frame's confidence). */
    private static BufferedImage overlay(
            BufferedImage frame, MaskPng.Gray prob, MaskEnvelope m, GrayImage gt, boolean alert) {
        int w = frame.getWidth();
        int h = frame.getHeight();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = frame.getRGB(x, y);
                float a = (prob.pixels()[y * w + x] & 0xFF) / 255f * m.maxProbability() * 0.6f;
                int r = (int) (((rgb >> 16) & 0xFF) * (1 - a));
                int g = (int) (((rgb >> 8) & 0xFF) * (1 - a) + 255 * a);
                int b = (int) ((rgb & 0xFF) * (1 - a));
                if (gt != null && isEdge(gt, x, y)) {
                    r = 255;
                    g = 230;
                    b = 0;
                }
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        Graphics2D g = img.createGraphics();
        g.setStroke(new BasicStroke(2));
        g.setColor(Color.CYAN);
        for (BoundingBox box : m.boxes()) {
            g.drawRect(box.x(), box.y(), box.w(), box.h());
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, h / 24)));
        g.setColor(alert ? Color.RED : Color.WHITE);
        g.drawString(
                String.format(Locale.ROOT, "#%d  p=%.2f%s", m.frameIndex(), m.maxProbability(), alert ? "  POLYP" : ""),
                8,
                h - 10);
        g.dispose();
        return img;
    }

    private static boolean isEdge(GrayImage gt, int x, int y) {
        if (gt.get(x, y) <= 128) {
            return false;
        }
        return x == 0
                || y == 0
                || x == gt.width() - 1
                || y == gt.height() - 1
                || gt.get(x - 1, y) <= 128
                || gt.get(x + 1, y) <= 128
                || gt.get(x, y - 1) <= 128
                || gt.get(x, y + 1) <= 128;
    }

    private static BufferedImage row(List<BufferedImage> picks) {
        if (picks.isEmpty()) {
            return new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR);
        }
        int tw = 240;
        int th = picks.get(0).getHeight() * tw / picks.get(0).getWidth();
        BufferedImage row = new BufferedImage(tw * picks.size(), th, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = row.createGraphics();
        for (int i = 0; i < picks.size(); i++) {
            g.drawImage(picks.get(i), i * tw, 0, tw, th, null);
        }
        g.dispose();
        return row;
    }

    private static BufferedImage stack(List<BufferedImage> rows) {
        int w = rows.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
        int h = rows.stream().mapToInt(BufferedImage::getHeight).sum();
        BufferedImage out = new BufferedImage(w, Math.max(1, h), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        int y = 0;
        for (BufferedImage r : rows) {
            g.drawImage(r, 0, y, null);
            y += r.getHeight();
        }
        g.dispose();
        return out;
    }

    private String summary(
            Map<String, List<ResultReader.SeenMask>> byProc,
            List<AlertEvent> alerts,
            VpsScores scores,
            VpsScores polypFrames,
            Map<String, List<FrameTruth>> truth,
            String modelLine,
            long framesSent,
            double wallSeconds,
            String rate)
            throws IOException {
        List<Double> processing = new ArrayList<>();
        List<Double> visible = new ArrayList<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        int out = 0;
        for (List<ResultReader.SeenMask> l : byProc.values()) {
            for (ResultReader.SeenMask s : l) {
                processing.add(s.mask().latencyMillis());
                visible.add((s.visibleMicros() - s.mask().captureMicros()) / 1000.0);
                first = Math.min(first, s.mask().captureMicros());
                last = Math.max(last, s.mask().emitMicros());
                out++;
            }
        }
        double fps = out > 1 && last > first ? out / ((last - first) / 1e6) : 0;
        StringBuilder b = new StringBuilder();
        b.append("SALI Stream demo\n").append("model: ").append(modelLine).append('\n');
        b.append(String.format(
                Locale.ROOT,
                "frames in: %d, masks out: %d (%s), wall time %.1f s%n",
                framesSent,
                out,
                byProc.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue().size())
                        .toList(),
                wallSeconds));
        b.append(String.format(Locale.ROOT, "throughput: %.2f frames/s%n", fps));
        double arrival = byProc.size() * 25.0;
        if (rate.equals("realtime") && fps > 0 && fps < 0.9 * arrival) {
            b.append(String.format(
                    Locale.ROOT,
                    "note: %d procedures at 25 fps bring %.0f frames/s and this machine segments"
                            + " %.1f; the rest queue, so the latency below is mostly queueing (a GPU, a smaller model, or"
                            + " --rate max to measure the model-bound rate)%n",
                    byProc.size(),
                    arrival,
                    fps));
        }
        b.append(String.format(
                Locale.ROOT,
                "latency capture->mask emitted: p50 %.0f ms, p99 %.0f ms%n",
                percentile(processing, 50),
                percentile(processing, 99)));
        b.append(String.format(
                Locale.ROOT,
                "latency capture->mask visible (read committed): p50 %.0f ms, p99 %.0f ms%n",
                percentile(visible, 50),
                percentile(visible, 99)));
        b.append("alerts: ").append(alerts.isEmpty() ? "none" : "").append('\n');
        for (AlertEvent a : alerts) {
            b.append(String.format(
                    Locale.ROOT,
                    "  %s %s at frame %d (frames %d-%d, confidence %.2f)%n",
                    a.procedureId(),
                    a.type(),
                    a.frameIndex(),
                    a.firstFrameIndex(),
                    a.lastFrameIndex(),
                    a.confidence()));
        }
        List<DetectionMetrics.Episode> episodes = AlertFile.episodes(alerts);
        b.append("alert timeline (one character per frame; polyp: # visible in the ground truth; alert: # open):\n");
        for (Map.Entry<String, List<FrameTruth>> t : truth.entrySet()) {
            StringBuilder gt = new StringBuilder();
            StringBuilder on = new StringBuilder();
            for (FrameTruth f : t.getValue()) {
                gt.append(f.polypVisible() ? '#' : '.');
                on.append(
                        episodes.stream()
                                        .anyMatch(e -> e.procedure().equals(t.getKey())
                                                && f.index() >= e.appeared()
                                                && f.index() < e.cleared())
                                ? '#'
                                : '.');
            }
            b.append(String.format(Locale.ROOT, "  %-8s polyp %s%n  %-8s alert %s%n", t.getKey(), gt, "", on));
        }
        b.append(String.format(
                Locale.ROOT,
                "detection metrics from the alert stream (%.0f fps; sali eval --alerts %s"
                        + " --gt-root %s --split %s):%n",
                FPS,
                this.out.resolve(ALERTS),
                this.out,
                SPLIT));
        b.append(DetectionMetrics.evaluate(truth, episodes, FPS, DetectionMetrics.DEFAULT_MERGE_GAP)
                .format());
        b.append(String.format(
                Locale.ROOT,
                "VPS toolbox scores against the synthetic ground truth (%d cases, %d frames):%n",
                scores.cases(),
                scores.frames()));
        for (VpsMetric m : SCORED) {
            b.append(String.format(Locale.ROOT, "  %-10s %.4f%n", m.toolboxName(), scores.value(m)));
        }
        if (polypFrames != null) {
            // The toolbox scores a polyp-free frame Dice 0 whatever the mask: the frames with a polyp alone are
            // what SUN-SEG's scores mean (its test frames all show one).
            b.append(String.format(
                    Locale.ROOT,
                    "  on the %d frames that show a polyp (as every SUN-SEG test frame; the toolbox scores a frame"
                            + " without one Dice 0):%n",
                    polypFrames.frames()));
            for (VpsMetric m : SCORED) {
                b.append(String.format(Locale.ROOT, "  %-10s %.4f%n", m.toolboxName(), polypFrames.value(m)));
            }
        }
        b.append(
                        "outputs: strip.png, alerts.jsonl, overlay-<procedure>.mp4, pred/SALI/demo/<procedure>/*.png (sali eval --gt-root ")
                .append(this.out)
                .append(" --pred-root ")
                .append(this.out.resolve("pred"))
                .append(" --split demo)\n");
        Files.writeString(this.out.resolve("summary.txt"), b.toString());
        return b.toString();
    }

    public static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(values);
        s.sort(null);
        int i = (int) Math.ceil(p / 100.0 * s.size()) - 1;
        return s.get(Math.max(0, Math.min(s.size() - 1, i)));
    }
}
