package org.salistream.model.stage;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.salistream.model.ModelConfig;
import org.salistream.model.image.Preprocessor;
import org.salistream.model.image.RgbImage;
import org.salistream.model.memory.MemoryReader;
import org.salistream.model.memory.MemoryState;
import org.salistream.model.memory.ScaleMemory;
import org.salistream.model.profile.Sections;
import org.salistream.model.sali.SaliNetwork;
import org.salistream.ops.Resample;

/**
 * {@link SaliStages} on DJL: the network's parameters live in one {@link NDManager} on the default device
 * (a GPU where DJL finds one, else the CPU); every call works in a sub-manager that is closed before it
 * returns, so no tensor outlives a call and state stays plain Java values.
 *
 * <p>Per frame, this is the published {@code val_longshort} with batch 1, split at the memory: the memory
 * read (and the usage it counts) and the memory add run per procedure, because each procedure has its own
 * bank; everything else runs batched over the requests.
 */
public final class DjlSaliStages implements SaliStages {

    private final ModelConfig config;
    private final SaliNetwork network;
    private final NDManager manager;
    private final ParameterStore store;
    private final Preprocessor preprocessor;
    private final boolean ownsManager;

    /**
     * Stages over a loaded network whose parameters live in {@code manager}.
     *
     * @param ownsManager whether {@link #close()} closes the manager
     */
    public DjlSaliStages(ModelConfig config, SaliNetwork network, NDManager manager, boolean ownsManager) {
        if (!network.config().equals(config.backbone())) {
            throw new IllegalArgumentException(
                    "network is " + network.config() + " but the configuration asks for " + config.backbone());
        }
        this.config = config;
        this.network = network;
        this.manager = manager;
        this.ownsManager = ownsManager;
        this.store = new ParameterStore(manager, false);
        this.preprocessor = new Preprocessor(config.size(), config.mean(), config.std());
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    /** The network. */
    public SaliNetwork network() {
        return network;
    }

    /**
     * Stages over the same network and parameters with other run-time settings (e.g. the neighbour mode);
     * closing them leaves this model open.
     */
    public DjlSaliStages withConfig(ModelConfig other) {
        return new DjlSaliStages(other, network, manager, false);
    }

    @Override
    public List<FrameFeatures> encode(List<RgbImage> frames) {
        List<float[]> inputs = new ArrayList<>(frames.size());
        for (RgbImage f : frames) {
            inputs.add(preprocessor.apply(f));
        }
        return encodeNormalized(inputs);
    }

    @Override
    public List<FrameFeatures> encodeNormalized(List<float[]> frames) {
        if (frames.isEmpty()) {
            return List.of();
        }
        int s = config.size();
        int b = frames.size();
        float[] batch = new float[b * 3 * s * s];
        for (int i = 0; i < b; i++) {
            float[] f = frames.get(i);
            if (f.length != 3 * s * s) {
                throw new IllegalArgumentException(
                        "model input " + i + " holds " + f.length + " values, expected 3x" + s + "x" + s);
            }
            System.arraycopy(f, 0, batch, i * 3 * s * s, f.length);
        }
        return withoutGradient(() -> encodeBatch(batch, b, s));
    }

    private List<FrameFeatures> encodeBatch(float[] batch, int b, int s) {
        try (NDScope scope = new NDScope();
                NDManager m = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            NDArray x = m.create(batch, new Shape(b, 3, s, s)); // (B, 3, S, S)
            NDList maps = network.encode(store, x, false);
            try (Sections.Section sec = Sections.open("features to host")) {
                return unstack(maps, b);
            }
        }
    }

    @Override
    public List<SegmentResult> segment(List<SegmentRequest> requests) {
        return segment(requests, StageProbe.NONE);
    }

    /** {@link #segment(List)}, showing the intermediate tensors to {@code probe}. */
    public List<SegmentResult> segment(List<SegmentRequest> requests, StageProbe probe) {
        if (requests.isEmpty()) {
            return List.of();
        }
        return withoutGradient(() -> segmentBatch(requests, probe));
    }

    /**
     * Runs {@code body} with libtorch's autograd off. Grad mode is per thread, and on by default on every
     * thread but the one that loaded the engine: a model opened and run on a stream processor's task thread
     * would otherwise record an autograd graph through its parameters every frame (keeping every
     * intermediate tensor alive), which the TorchScript paths' inference tensors refuse outright.
     */
    static <T> T withoutGradient(Supplier<T> body) {
        boolean before = JniUtils.isGradMode();
        if (before) {
            JniUtils.setGradMode(false);
        }
        try {
            return body.get();
        } finally {
            if (before) {
                JniUtils.setGradMode(true);
            }
        }
    }

    private List<SegmentResult> segmentBatch(List<SegmentRequest> requests, StageProbe probe) {
        int b = requests.size();
        // The scope is a safety net: an op whose result lands in the parameters' manager (its first operand's)
        // would otherwise stay there for the life of the model, a leak per frame in a stream processor.
        try (NDScope scope = new NDScope();
                NDManager m = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            NDList cur;
            NDList nbr;
            try (Sections.Section sec = Sections.open("features to device")) {
                cur = stack(m, requests, SegmentRequest::current); // 3 x (B, C, h, w)
                nbr = stack(m, requests, SegmentRequest::neighbour);
            }
            NDList kv;
            try (Sections.Section sec = Sections.open("memory keys/values")) {
                kv = network.project(store, cur, false); // keys (B, CK, h, w) x3, values (B, CV, h, w) x3
            }
            probe.accept("fmap_cur", cur);
            probe.accept("fmap_nbr", nbr);
            probe.accept("keyQ", kv.subNDList(0, 3));
            probe.accept("valueQ", kv.subNDList(3));
            NDList[] readout = {new NDList(b), new NDList(b), new NDList(b)};
            float[][][] usage = new float[b][MemoryState.SCALES][];
            for (int r = 0; r < b; r++) {
                SegmentRequest req = requests.get(r);
                for (int i = 0; i < MemoryState.SCALES; i++) {
                    try (Sections.Section sec = Sections.open("memory read 1/" + (8 << i))) {
                        NDArray kq = kv.get(i).get(r).expandDims(0); // (1, CK, h, w)
                        NDArray vq = kv.get(3 + i).get(r).expandDims(0); // (1, CV, h, w)
                        NDArray mk;
                        NDArray mv;
                        ScaleMemory s = req.memory().scale(i);
                        if (req.policy().readsMemory()) {
                            mk = m.create(s.keys(), new Shape(1, s.keyChannels(), s.length())); // (1, CK, N)
                            mv = m.create(s.values(), new Shape(1, s.valueChannels(), s.length())); // (1, CV, N)
                        } else {
                            mk = kq.reshape(1, kq.getShape().get(1), -1); // (1, CK, HW)
                            mv = vq.reshape(1, vq.getShape().get(1), -1); // (1, CV, HW)
                        }
                        NDList read = MemoryReader.readForInference(kq, vq, mk, mv, config.topK());
                        readout[i].add(read.get(0)); // (1, 2CV, h, w)
                        if (req.policy().readsMemory()) {
                            usage[r][i] = MemoryReader.usage(read.get(1), read.get(2), s.length());
                        }
                    }
                }
            }
            NDList readouts = new NDList(concat(readout[0]), concat(readout[1]), concat(readout[2]));
            SaliNetwork.ShortTermOutputs out = network.alignAndDecode(store, readouts, cur, nbr, false);
            probe.accept("readout", readouts);
            probe.accept("align_mem", out.alignMem());
            probe.accept("align_nbr", out.alignNbr());
            probe.accept("fused", out.fused());
            probe.accept("S", out.ss());
            probe.accept("maps", out.maps());
            try (Sections.Section sec = Sections.open("logits, memory add")) {
                return results(requests, out, kv, usage);
            }
        }
    }

    /** The logits at frame size and each request's memory after the frame. */
    private List<SegmentResult> results(
            List<SegmentRequest> requests, SaliNetwork.ShortTermOutputs out, NDList kv, float[][][] usage) {
        NDArray logits = Resample.bilinearScale(out.maps().get(3), 8, 8, false); // (B, 1, S, S)
        NDList masks = out.memoryMasks(); // S_3, S_4, S_5
        List<SegmentResult> results = new ArrayList<>(requests.size());
        for (int r = 0; r < requests.size(); r++) {
            SegmentRequest req = requests.get(r);
            MemoryState mem = req.policy().readsMemory() ? req.memory().withRead(usage[r]) : MemoryState.empty();
            if (req.policy().adds()) {
                mem = add(mem, kv, masks, r);
            }
            results.add(new SegmentResult(logits.get(r).toFloatArray(), config.size(), mem));
        }
        return results;
    }

    /** The published {@code add_memory} for request {@code r}. */
    private MemoryState add(MemoryState mem, NDList kv, NDList masks, int r) {
        float[][] keys = new float[MemoryState.SCALES][];
        float[][] values = new float[MemoryState.SCALES][];
        int[] positions = new int[MemoryState.SCALES];
        for (int i = 0; i < MemoryState.SCALES; i++) {
            NDArray kq = kv.get(i).get(r); // (CK, h, w)
            NDArray vq = kv.get(3 + i).get(r).expandDims(0); // (1, CV, h, w)
            positions[i] = (int) (kq.getShape().get(1) * kq.getShape().get(2));
            keys[i] = kq.toFloatArray();
            values[i] = MemoryReader.weightedValues(vq, masks.get(i).get(r).expandDims(0))
                    .toFloatArray();
        }
        return mem.withFrameAdded(keys, values, positions, config.memLength());
    }

    private static NDArray concat(NDList parts) {
        return parts.size() == 1 ? parts.get(0) : ai.djl.ndarray.NDArrays.concat(parts, 0);
    }

    private static NDList stack(NDManager m, List<SegmentRequest> reqs, Function<SegmentRequest, FrameFeatures> f) {
        FrameFeatures first = f.apply(reqs.get(0));
        NDList out = new NDList(first.scales());
        for (int i = 0; i < first.scales(); i++) {
            int n = first.map(i).length;
            float[] data = new float[n * reqs.size()];
            for (int r = 0; r < reqs.size(); r++) {
                FrameFeatures ff = f.apply(reqs.get(r));
                if (!ff.sameShape(first)) {
                    throw new IllegalArgumentException(
                            "a batch needs frames of one model size: " + ff + " vs " + first);
                }
                System.arraycopy(ff.map(i), 0, data, r * n, n);
            }
            out.add(m.create(data, new Shape(reqs.size(), first.channels(), first.height(i), first.width(i))));
        }
        return out;
    }

    private static List<FrameFeatures> unstack(NDList maps, int b) {
        float[][] all = new float[maps.size()][];
        int[] hs = new int[maps.size()];
        int[] ws = new int[maps.size()];
        int c = (int) maps.get(0).getShape().get(1);
        for (int i = 0; i < maps.size(); i++) {
            all[i] = maps.get(i).toFloatArray(); // (B, C, h, w)
            hs[i] = (int) maps.get(i).getShape().get(2);
            ws[i] = (int) maps.get(i).getShape().get(3);
        }
        List<FrameFeatures> out = new ArrayList<>(b);
        for (int r = 0; r < b; r++) {
            float[][] per = new float[maps.size()][];
            for (int i = 0; i < maps.size(); i++) {
                int n = c * hs[i] * ws[i];
                per[i] = new float[n];
                System.arraycopy(all[i], r * n, per[i], 0, n);
            }
            out.add(new FrameFeatures(c, hs, ws, per));
        }
        return out;
    }

    /** Arrays held by the model's manager: its parameters only, between calls (a leak shows as growth). */
    public int liveArrays() {
        return manager.getManagedArrays().size();
    }

    @Override
    public void close() {
        if (ownsManager) {
            manager.close();
        }
    }
}
