package org.salistream.model.memory;

/**
 * The memory bank at one scale, as plain arrays: keys (CK, N) and values (CV, N) in channel-major order
 * (the published {@code mem_ks[i]}, {@code mem_vs[i]} of shape (1, C, N) without the batch axis), and per
 * entry the usage count and life count ({@code usage_count[i]}, {@code life_count[i]}, shape (1, 1, N)).
 * Instances are immutable by convention: arrays are never written after construction, so that states
 * can share them.
 *
 * @param keyChannels CK
 * @param valueChannels CV
 * @param length N, the number of memory positions (frames x positions per frame, less evictions)
 * @param keys (CK, N)
 * @param values (CV, N)
 * @param usage (N)
 * @param life (N)
 */
public record ScaleMemory(
        int keyChannels, int valueChannels, int length, float[] keys, float[] values, float[] usage, float[] life) {

    /** Checks the array sizes. */
    public ScaleMemory {
        if (keys.length != (long) keyChannels * length
                || values.length != (long) valueChannels * length
                || usage.length != length
                || life.length != length) {
            throw new IllegalArgumentException("memory scale arrays do not match " + keyChannels + "/" + valueChannels
                    + " channels x " + length + " positions");
        }
    }

    /** An empty scale with the given channels. */
    public static ScaleMemory empty(int keyChannels, int valueChannels) {
        return new ScaleMemory(keyChannels, valueChannels, 0, new float[0], new float[0], new float[0], new float[0]);
    }

    /** The normalised usage {@code usage / life} of each entry (float32, as published). */
    public float[] normalisedUsage() {
        float[] u = new float[length];
        for (int i = 0; i < length; i++) {
            u[i] = usage[i] / life[i];
        }
        return u;
    }

    /** Bytes held by the arrays. */
    public long byteSize() {
        return 4L * (keys.length + values.length + usage.length + life.length);
    }

    /**
     * This scale with {@code n} new positions appended: keys and values as given, usage 0 and life 1e-7
     * (the published {@code add_memory}).
     */
    ScaleMemory append(float[] newKeys, float[] newValues, int n) {
        int total = length + n;
        float[] k = concatRows(keys, length, newKeys, n, keyChannels);
        float[] v = concatRows(values, length, newValues, n, valueChannels);
        float[] u = new float[total];
        float[] l = new float[total];
        System.arraycopy(usage, 0, u, 0, length);
        System.arraycopy(life, 0, l, 0, length);
        java.util.Arrays.fill(l, length, total, 1e-7f);
        return new ScaleMemory(keyChannels, valueChannels, total, k, v, u, l);
    }

    /** This scale keeping only the entries where {@code keep} is true. */
    ScaleMemory retain(boolean[] keep) {
        int n = 0;
        for (boolean b : keep) {
            n += b ? 1 : 0;
        }
        float[] k = new float[keyChannels * n];
        float[] v = new float[valueChannels * n];
        float[] u = new float[n];
        float[] l = new float[n];
        int j = 0;
        for (int i = 0; i < length; i++) {
            if (!keep[i]) {
                continue;
            }
            for (int c = 0; c < keyChannels; c++) {
                k[c * n + j] = keys[c * length + i];
            }
            for (int c = 0; c < valueChannels; c++) {
                v[c * n + j] = values[c * length + i];
            }
            u[j] = usage[i];
            l[j] = life[i];
            j++;
        }
        return new ScaleMemory(keyChannels, valueChannels, n, k, v, u, l);
    }

    /** This scale after one read: usage += the read's affinity mass per entry, life += 1. */
    ScaleMemory withRead(float[] usageNew) {
        if (usageNew.length != length) {
            throw new IllegalArgumentException("usage update of " + usageNew.length + " entries for " + length);
        }
        float[] u = new float[length];
        float[] l = new float[length];
        for (int i = 0; i < length; i++) {
            u[i] = usage[i] + usageNew[i];
            l[i] = life[i] + 1f;
        }
        return new ScaleMemory(keyChannels, valueChannels, length, keys, values, u, l);
    }

    private static float[] concatRows(float[] a, int na, float[] b, int nb, int channels) {
        if (b.length != channels * nb) {
            throw new IllegalArgumentException(
                    "new memory entries have " + b.length + " values, expected " + channels + " x " + nb);
        }
        int n = na + nb;
        float[] out = new float[channels * n];
        for (int c = 0; c < channels; c++) {
            System.arraycopy(a, c * na, out, c * n, na);
            System.arraycopy(b, c * nb, out, c * n + na, nb);
        }
        return out;
    }
}
