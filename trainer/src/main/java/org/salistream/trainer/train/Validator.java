package org.salistream.trainer.train;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.salistream.codec.ImageDecoding;
import org.salistream.datasets.GrayImage;
import org.salistream.datasets.SunSegFrame;
import org.salistream.datasets.SunSegLayout;
import org.salistream.datasets.eval.StreamingEvaluator;
import org.salistream.datasets.eval.VpsMetric;
import org.salistream.model.image.FrameDecoder;
import org.salistream.model.image.FrameMask;
import org.salistream.model.stage.ProcedureRunner;
import org.salistream.model.stage.SaliStages;
import org.salistream.trainer.data.PilImages;

/**
 * The published validation ({@code val} of SALI's {@code train_video.py}) on the network being trained: every
 * case of the validation split segmented frame by frame in order with the streaming procedure the pipeline
 * runs ({@link ProcedureRunner}: the next frame as neighbour, the previous one for the last frame, memory
 * cleared at each case's first frame and written every {@code mem_freq} frames), each prediction resized to
 * its mask with {@code F.upsample(bilinear)}, passed through a sigmoid and min-max normalised. Scored two
 * ways: the published Dice and MAE over all frames (which select the best epoch), and the VPS toolbox's
 * metrics ({@link StreamingEvaluator}, the benchmark's numbers).
 */
public final class Validator {

    /** Toolbox metrics computed by default: the cheap ones that papers report first. */
    public static final List<VpsMetric> DEFAULT_METRICS =
            List.of(VpsMetric.SMEASURE, VpsMetric.MEAN_DICE, VpsMetric.MAX_DICE, VpsMetric.MEAN_IOU);

    private final SunSegLayout layout;
    private final String split;
    private final List<String> cases;
    private final List<VpsMetric> metrics;

    /**
     * A validation over {@code <root>/<split>}, or its first {@code maxCases} cases when positive.
     *
     * @throws IllegalArgumentException when the split has no ground truth or no case
     */
    public Validator(Path root, String split, int maxCases, List<VpsMetric> metrics) throws IOException {
        this.layout = SunSegLayout.open(root, split);
        if (!layout.hasGroundTruth()) {
            throw new IllegalArgumentException("validation split " + layout.splitRoot()
                    + " has no GT/ folder: validation needs a mask for every frame");
        }
        List<String> all = layout.cases();
        if (all.isEmpty()) {
            throw new IllegalArgumentException("validation split " + layout.splitRoot() + " has no case under Frame/");
        }
        this.cases = maxCases > 0 && maxCases < all.size() ? List.copyOf(all.subList(0, maxCases)) : List.copyOf(all);
        this.split = split;
        this.metrics = List.copyOf(metrics);
    }

    /** The cases validated. */
    public List<String> cases() {
        return cases;
    }

    /**
     * The validated cases whose ground truth is empty in every frame. The published Dice scores such a frame 0
     * whatever the prediction, so these cases lower every epoch's Dice alike and the selection rests on the
     * others: with 3 of 4 synthetic validation cases polyp-free, one case of 16 frames picked the epoch.
     */
    public List<String> casesWithoutPolyp() throws IOException {
        List<String> empty = new ArrayList<>();
        for (String c : cases) {
            boolean any = false;
            for (SunSegFrame f : layout.frames(c)) {
                // Any non-zero pixel: the published Dice divides the mask by its maximum.
                if (f.readMask().orElseThrow().countAbove(0) > 0) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                empty.add(c);
            }
        }
        return empty;
    }

    /** Segments and scores every case with {@code stages} (which run the network in eval mode). */
    public ValidationResult run(SaliStages stages, Consumer<String> progress) throws Exception {
        long start = System.nanoTime();
        StreamingEvaluator toolbox = new StreamingEvaluator(metrics, split, "SALI-train");
        double diceSum = 0;
        double maeSum = 0;
        double caseDiceSum = 0;
        int frames = 0;
        for (String c : cases) {
            List<SunSegFrame> list = layout.frames(c);
            double[] caseDice = {0};
            int[] caseFrames = {0};
            double[] totals = {0, 0};
            ProcedureRunner runner = new ProcedureRunner(stages);
            ProcedureRunner.Sink sink = (index, result) -> {
                SunSegFrame f = list.get((int) index);
                BufferedImage maskImage = ImageDecoding.read(f.mask());
                GrayImage gtPil = PilImages.gray(maskImage); // the published binary_loader
                FrameMask mask = FrameMask.fromLogits(result.logits(), result.size(), gtPil.width(), gtPil.height());
                float[] pred = mask.normalized();
                double[] dm = publishedDiceAndMae(pred, gtPil);
                caseDice[0] += dm[0];
                totals[0] += dm[0];
                totals[1] += dm[1];
                caseFrames[0]++;
                toolbox.add(
                        c,
                        (int) index,
                        GrayImage.of(maskImage),
                        new GrayImage(gtPil.width(), gtPil.height(), mask.normalized8()));
            };
            for (SunSegFrame f : list) {
                runner.accept(f.index(), FrameDecoder.read(f.image()), sink);
            }
            runner.finish(sink);
            diceSum += totals[0];
            maeSum += totals[1];
            frames += caseFrames[0];
            caseDiceSum += caseDice[0] / caseFrames[0];
            progress.accept(String.format(
                    Locale.ROOT,
                    "validation: %s: %d frames, Dice %.4f",
                    c,
                    caseFrames[0],
                    caseDice[0] / caseFrames[0]));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new ValidationResult(
                diceSum / frames,
                caseDiceSum / cases.size(),
                maeSum / frames,
                toolbox.result(),
                frames,
                cases.size(),
                seconds);
    }

    /**
     * The published per-frame Dice ({@code cofficent_calculate(res, gt)[0]}: prediction above 0.5 against the
     * mask divided by its maximum, {@code 2 sum(p gt) / (sum(p) + sum(gt) + 1e-5)}) and MAE
     * ({@code mean |res - gt|}).
     *
     * @param pred the min-max normalised prediction at mask size
     */
    static double[] publishedDiceAndMae(float[] pred, GrayImage gt) {
        byte[] px = gt.pixels();
        int max = 0;
        for (byte b : px) {
            max = Math.max(max, b & 0xFF);
        }
        float scale = (float) (max + 1e-8);
        double inter = 0;
        double sumPred = 0;
        double sumGt = 0;
        double abs = 0;
        for (int i = 0; i < pred.length; i++) {
            float g = (px[i] & 0xFF) / scale;
            boolean on = pred[i] > 0.5f;
            if (on) {
                inter += g;
                sumPred += 1;
            }
            sumGt += g;
            abs += Math.abs(pred[i] - g);
        }
        double dice = 2 * inter / (sumPred + sumGt + 1e-5);
        return new double[] {dice, abs / pred.length};
    }

    /** The metric list as names, for logs. */
    public List<String> metricNames() {
        List<String> out = new ArrayList<>();
        metrics.forEach(m -> out.add(m.toolboxName()));
        return out;
    }
}
