package org.salistream.model.memory;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.salistream.ops.TopKProduct;

/**
 * The memory read of SALI's long-term interaction module (the published {@code MemoryBank.match_memory}):
 * the affinity between memory keys k_m and query keys k_q is the negative squared Euclidean distance
 * without the query norm, {@code (2 k_m^T k_q - |k_m|^2) / sqrt(CK)} (as in STCN, Cheng et al., NeurIPS
 * 2021); for each query position only the {@code top_k} largest affinities are kept and softmax-normalised
 * over memory positions; the readout is {@code concat(V_m A, v_q)}. The per-entry sum of A over query
 * positions is the usage that the bank accumulates.
 *
 * <p>The published code builds A densely, (B, N, HW) with N = frames x positions, and reads it with a
 * matrix product: a bank of 35 frames at 352 makes that 131 M entries per read at 1/8, written and read
 * several times. Here the affinity is one matrix product (the squared norms ride along as one more key
 * channel against a row of ones), laid out (B, HW, N) so that the top-k runs along contiguous memory; the
 * readout gathers the k kept values per query position instead of multiplying by a matrix of zeros, and
 * the usage is summed from the kept weights and indices ({@link #usage}). The selection and weights are
 * the published ones; sums run in another order (float32 rounding, well inside the published model's own
 * float noise).
 */
public final class MemoryReader {

    private MemoryReader() {}

    /**
     * Reads the memory.
     *
     * @param keyQ query keys (B, CK, h, w)
     * @param valueQ query values (B, CV, h, w)
     * @param memKeys memory keys (B, CK, N)
     * @param memValues memory values (B, CV, N)
     * @param topK the published {@code top_k}
     * @return the readout (B, 2CV, h, w), the kept weights (B, HW, k) and their memory indices (B, HW, k,
     *     int64), k = min(topK, N)
     */
    public static NDList read(NDArray keyQ, NDArray valueQ, NDArray memKeys, NDArray memValues, int topK) {
        return read(keyQ, valueQ, memKeys, memValues, topK, false);
    }

    /**
     * {@link #read} for inference: the same selection and numbers, with the affinity never formed whole
     * ({@link TopKProduct}: blocks of query positions, each reduced to its top-k while in cache). At a full
     * bank (35 frames at 352) this is several times faster; no autograd goes through it.
     */
    public static NDList readForInference(NDArray keyQ, NDArray valueQ, NDArray memKeys, NDArray memValues, int topK) {
        return read(keyQ, valueQ, memKeys, memValues, topK, true);
    }

    private static NDList read(
            NDArray keyQ, NDArray valueQ, NDArray memKeys, NDArray memValues, int topK, boolean inference) {
        Shape qs = keyQ.getShape();
        long b = qs.get(0);
        long h = qs.get(2);
        long w = qs.get(3);
        long ck = memKeys.getShape().get(1);
        long cv = memValues.getShape().get(1);
        long n = memKeys.getShape().get(2);
        int k = (int) Math.min(topK, n);
        NDManager m = keyQ.getManager();
        // No mul/div by a Number here: DJL wraps such a scalar in a Java buffer that autograd keeps for
        // backward and that the GC may free first. The scalar is libtorch-owned.
        NDArray scale = m.full(new Shape(), (float) (1 / Math.sqrt(ck)), memKeys.getDataType()); // 1/sqrt(CK)
        NDArray norms = memKeys.mul(memKeys).sum(new int[] {1}, true); // (B, 1, N), |k_m|^2
        // affinity = (2 k_m . k_q - |k_m|^2) / sqrt(CK) = [2 k_m; -|k_m|^2] . [k_q; 1] / sqrt(CK); exact
        // powers of two for CK = 4, as published.
        NDArray mem = NDArrays.concat(new NDList(memKeys.add(memKeys), norms.neg()), 1)
                .mul(scale); // (B, CK+1, N)
        NDArray query = NDArrays.concat(
                new NDList(
                        keyQ.reshape(b, ck, h * w),
                        m.ones(new Shape(b, 1, h * w), keyQ.getDataType(), keyQ.getDevice())),
                1); // (B, CK+1, HW)
        NDList top; // (B, HW, k) values and indices
        if (inference) {
            top = TopKProduct.largest(query.transpose(0, 2, 1), mem, k);
        } else {
            NDArray affinity = query.transpose(0, 2, 1).matMul(mem); // (B, HW, N)
            top = affinity.topK(k, 2, true, true);
            affinity.close(); // the largest array of the read; autograd keeps what it needs on its own
        }
        NDArray weights = top.get(0).softmax(2); // (B, HW, k)
        NDArray index = top.get(1).reshape(b, 1, h * w * k).broadcast(b, cv, h * w * k); // (B, CV, HW·k)
        NDArray read = memValues
                .gather(index, 2)
                .reshape(b, cv, h * w, k)
                .mul(weights.expandDims(1))
                .sum(new int[] {3})
                .reshape(b, cv, h, w); // (B, CV, h, w)
        NDArray readout = NDArrays.concat(new NDList(read, valueQ), 1); // (B, 2CV, h, w)
        return new NDList(readout, weights, top.get(1));
    }

    /**
     * The usage of each memory entry after a read: the sum over query positions of its kept weight
     * (the published {@code softmax_w_top(..., return_usage=True)}), accumulated in double precision.
     *
     * @param weights (1, HW, k) from {@link #read}
     * @param indices (1, HW, k) from {@link #read}
     * @param n the number of memory entries N
     * @return (N)
     */
    public static float[] usage(NDArray weights, NDArray indices, int n) {
        float[] wv = weights.toType(DataType.FLOAT32, false).toFloatArray();
        long[] iv = indices.toLongArray();
        double[] sum = new double[n];
        for (int i = 0; i < iv.length; i++) {
            sum[(int) iv[i]] += wv[i];
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) sum[i];
        }
        return out;
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
