package org.salistream.model.memory;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The memory read of SALI's long-term interaction module (the published {@code MemoryBank.match_memory}):
 * the affinity between memory keys k_m and query keys k_q is the negative squared Euclidean distance
 * without the query norm, {@code (2 k_m^T k_q - |k_m|^2) / sqrt(CK)} (as in STCN, Cheng et al., NeurIPS
 * 2021); for each query position only the {@code top_k} largest affinities are kept and softmax-normalised
 * over memory positions; the readout is {@code concat(V_m A, v_q)}. The per-entry sum of A over query
 * positions is the usage that the bank accumulates.
 */
public final class MemoryReader {

    private MemoryReader() {
    }

    /**
     * Reads the memory.
     *
     * @param keyQ query keys (B, CK, h, w)
     * @param valueQ query values (B, CV, h, w)
     * @param memKeys memory keys (B, CK, N)
     * @param memValues memory values (B, CV, N)
     * @param topK the published {@code top_k}
     * @return the readout (B, 2CV, h, w) and the usage of each memory entry (B, N)
     */
    public static NDList read(NDArray keyQ, NDArray valueQ, NDArray memKeys, NDArray memValues, int topK) {
        Shape qs = keyQ.getShape();
        long b = qs.get(0);
        long h = qs.get(2);
        long w = qs.get(3);
        long ck = memKeys.getShape().get(1);
        NDArray qk = keyQ.reshape(b, ck, h * w); // (B, CK, HW)
        // No mul/div/pow by a Number here: DJL wraps such a scalar in a Java buffer that autograd keeps for
        // backward and that the GC may free first. x*x, d+d and a libtorch-owned divisor give the same values.
        NDArray a = memKeys.mul(memKeys).sum(new int[] {1}).expandDims(2); // (B, N, 1)
        NDArray prod = memKeys.transpose(0, 2, 1).matMul(qk); // (B, N, HW)
        NDArray dots = prod.add(prod); // (B, N, HW)
        NDArray norm = dots.getManager().full(new Shape(), (float) Math.sqrt(ck), dots.getDataType());
        NDArray affinity = dots.sub(a).div(norm); // (B, N, HW)
        NDArray sparse = softmaxTopK(affinity, topK); // (B, N, HW)
        NDArray read = memValues.matMul(sparse).reshape(b, -1, h, w); // (B, CV, h, w)
        NDArray readout = NDArrays.concat(new NDList(read, valueQ), 1); // (B, 2CV, h, w)
        NDArray usage = sparse.sum(new int[] {2}); // (B, N)
        return new NDList(readout, usage);
    }

    /**
     * The published {@code softmax_w_top}: keeps the {@code top} largest values of each column (over axis
     * 1), softmax-normalises them, and zeroes the rest.
     *
     * @param x (B, N, HW)
     * @return (B, N, HW)
     */
    public static NDArray softmaxTopK(NDArray x, int top) {
        int k = (int) Math.min(top, x.getShape().get(1));
        NDList tk = x.topK(k, 1, true, true);
        NDArray weights = tk.get(0).softmax(1); // (B, k, HW)
        NDManager m = x.getManager();
        return m.zeros(x.getShape(), x.getDataType(), x.getDevice()).scatter(tk.get(1), weights, 1);
    }

    /**
     * Memory values weighted by the frame's mask, as the published {@code add_memory} stores them:
     * {@code v * (softmax(mask over positions) + 1)}.
     *
     * @param value (B, CV, h, w)
     * @param maskLogits (B, 1, h, w)
     * @return (B, CV, h*w)
     */
    public static NDArray weightedValues(NDArray value, NDArray maskLogits) {
        Shape s = value.getShape();
        NDArray v = value.reshape(s.get(0), s.get(1), -1); // (B, CV, HW)
        NDArray m = maskLogits.reshape(s.get(0), 1, -1).softmax(-1).add(1f); // (B, 1, HW)
        return v.mul(m); // (B, CV, HW)
    }
}
