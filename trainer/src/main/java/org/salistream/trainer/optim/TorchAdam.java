package org.salistream.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.Adam} (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015) exactly
 * as PyTorch's single-tensor implementation computes it, with the published SALI settings
 * ({@code torch.optim.Adam(model.parameters(), opt.lr)}: betas (0.9, 0.999), eps 1e-8, no weight decay, no
 * amsgrad), preceded by the published {@code clip_gradient} (each gradient element clamped to
 * [-clip, clip]) and followed by clearing the gradients ({@code optimizer.zero_grad()}).
 *
 * <p>Per parameter, at step t (from 1):
 * <pre>
 *   g = clamp(grad, -clip, clip)
 *   m = lerp(m, g, 1 - beta1)              = m + (1 - beta1) (g - m)
 *   v = beta2 v + (1 - beta2) g g
 *   denom = sqrt(v) / sqrt(1 - beta2^t) + eps        (eps after the bias correction, as PyTorch)
 *   p = p - lr / (1 - beta1^t) * m / denom
 * </pre>
 * The moments live on the parameters' device; the update runs in place on the parameter arrays, outside
 * any {@code GradientCollector} (with autograd off, as {@code torch.no_grad()}).
 */
public final class TorchAdam implements AutoCloseable {

    /** PyTorch's default first-moment decay. */
    public static final double BETA1 = 0.9;
    /** PyTorch's default second-moment decay. */
    public static final double BETA2 = 0.999;
    /** PyTorch's default epsilon. */
    public static final double EPS = 1e-8;

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final NDManager stateManager;
    private final Map<String, Parameter> params;
    private final List<NDArray> expAvg = new ArrayList<>();
    private final List<NDArray> expAvgSq = new ArrayList<>();
    private long step;

    /** Adam with PyTorch's defaults over the trainable parameters of {@code params}, state in {@code manager}. */
    public TorchAdam(Map<String, Parameter> params, NDManager manager) {
        this(params, manager, BETA1, BETA2, EPS);
    }

    /**
     * Adam over {@code params}; only those that require a gradient are updated (BatchNorm running
     * statistics are buffers, not parameters).
     *
     * @param manager the manager whose sub-manager holds the moments (on the parameters' device)
     */
    public TorchAdam(Map<String, Parameter> params, NDManager manager, double beta1, double beta2, double eps) {
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && eps >= 0)) {
            throw new IllegalArgumentException(
                    "Adam needs 0 <= beta < 1 and eps >= 0, got betas (" + beta1 + ", " + beta2 + "), eps " + eps);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.stateManager = manager.newSubManager();
        this.params = new LinkedHashMap<>();
        params.forEach((name, p) -> {
            if (p.requiresGradient()) {
                this.params.put(name, p);
                NDArray w = p.getArray();
                expAvg.add(stateManager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
                expAvgSq.add(stateManager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
            }
        });
        if (this.params.isEmpty()) {
            throw new IllegalArgumentException("no trainable parameter to optimise");
        }
    }

    /** The parameters this optimiser updates, by state dict name. */
    public Map<String, Parameter> parameters() {
        return java.util.Collections.unmodifiableMap(params);
    }

    /** Steps taken so far. */
    public long steps() {
        return step;
    }

    /**
     * Clips the gradients, takes one Adam step with learning rate {@code lr}, and clears the gradients.
     *
     * @param clip the published {@code opt.clip} (0.5); 0 or less leaves the gradients as they are
     */
    public void step(double lr, double clip) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a finite non-negative number, got " + lr);
        }
        step++;
        double bias1 = 1 - Math.pow(beta1, step);
        double bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        float stepSize = (float) (lr / bias1);
        int i = 0;
        for (Parameter p : params.values()) {
            NDArray w = p.getArray();
            try (NDManager tmp = stateManager.newSubManager()) {
                NDArray grad = w.getGradient(); // a handle on the parameter's gradient
                grad.attach(tmp); // results of operations on it go to tmp
                NDArray g = clip > 0 ? grad.clip(-clip, clip) : grad.duplicate(); // (shape of p)
                NDArray m = expAvg.get(i);
                NDArray v = expAvgSq.get(i);
                m.addi(g.sub(m).muli((float) (1 - beta1))); // lerp(m, g, 1 - beta1)
                v.muli((float) beta2).addi(g.mul(g).muli((float) (1 - beta2)));
                NDArray denom = v.sqrt();
                denom.attach(tmp);
                denom.divi((float) bias2Sqrt).addi((float) eps);
                NDArray update = m.div(denom);
                update.attach(tmp);
                w.addi(update.muli(-stepSize));
                grad.muli(0f); // zero_grad: PyTorch's backward accumulates into the gradient
            }
            i++;
        }
    }

    /**
     * Writes the optimiser's state (step count and both moments of every parameter, by name) so that
     * {@link #load} continues exactly where this optimiser is.
     */
    public void save(DataOutputStream out) throws IOException {
        out.writeUTF(STATE_MAGIC);
        out.writeLong(step);
        out.writeInt(params.size());
        int i = 0;
        for (String name : params.keySet()) {
            out.writeUTF(name);
            for (NDArray a : List.of(expAvg.get(i), expAvgSq.get(i))) {
                byte[] bytes = a.encode();
                out.writeInt(bytes.length);
                out.write(bytes);
            }
            i++;
        }
    }

    /**
     * Restores a state written by {@link #save} for the same parameters.
     *
     * @throws IOException when the state is unreadable or belongs to other parameters
     */
    public void load(DataInputStream in) throws IOException {
        if (!STATE_MAGIC.equals(in.readUTF())) {
            throw new IOException("not an Adam state written by this trainer");
        }
        long steps = in.readLong();
        int n = in.readInt();
        if (n != params.size()) {
            throw new IOException("the Adam state holds " + n + " parameters, this network trains " + params.size());
        }
        int i = 0;
        for (String name : params.keySet()) {
            String stored = in.readUTF();
            if (!stored.equals(name)) {
                throw new IOException("the Adam state's parameter " + i + " is " + stored + ", expected " + name);
            }
            for (List<NDArray> moments : List.of(expAvg, expAvgSq)) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                NDArray loaded = stateManager.decode(bytes);
                NDArray target = moments.get(i);
                if (!loaded.getShape().equals(target.getShape())) {
                    throw new IOException("the Adam state of " + name + " has shape " + loaded.getShape()
                            + ", the parameter " + target.getShape());
                }
                target.set(loaded.toFloatArray()); // (shape of p), in place: the moments keep their device
                loaded.close();
            }
            i++;
        }
        step = steps;
    }

    private static final String STATE_MAGIC = "sali-adam-v1";

    /** Clears the gradients without updating (after a step that was skipped). */
    public void zeroGradients() {
        for (Parameter p : params.values()) {
            try (NDArray g = p.getArray().getGradient()) {
                g.muli(0f);
            }
        }
    }

    @Override
    public void close() {
        stateManager.close();
    }
}
