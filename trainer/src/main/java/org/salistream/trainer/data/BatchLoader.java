package org.salistream.trainer.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One epoch of batches over a {@link TripletDataset}, as the published {@code DataLoader(shuffle=True,
 * drop_last=False)} gives them: the triplets in a shuffled order (seeded by the run's seed and the epoch),
 * cut into batches of B, the last one smaller when B does not divide the count. Samples are read and
 * augmented by {@code workers} background threads, a few batches ahead of the training step; each sample's
 * augmentation is seeded by (seed, epoch, position), so the batches do not depend on the thread timing.
 */
public final class BatchLoader implements AutoCloseable {

    private final TripletDataset dataset;
    private final int batchSize;
    private final int[] order;
    private final long epochSeed;
    private final ExecutorService pool;
    private final Deque<Future<TrainBatch>> ahead = new ArrayDeque<>();
    private final int prefetch;
    private int next;

    /**
     * An epoch's batches.
     *
     * @param workers threads that read and augment (at least 1)
     */
    public BatchLoader(TripletDataset dataset, int batchSize, long seed, int epoch, int workers) {
        if (batchSize < 1 || workers < 1) {
            throw new IllegalArgumentException(
                    "batch size and workers must be at least 1, got " + batchSize + " and " + workers);
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.epochSeed = mix(seed, epoch);
        this.order = shuffled(dataset.size(), new SplittableRandom(epochSeed));
        this.prefetch = Math.max(2, workers);
        this.pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "sali-train-loader");
            t.setDaemon(true);
            return t;
        });
        fill();
    }

    /** Batches in this epoch. */
    public int batches() {
        return (order.length + batchSize - 1) / batchSize;
    }

    /** The dataset positions in this epoch's order. */
    public int[] order() {
        return order.clone();
    }

    /** Whether another batch follows. */
    public boolean hasNext() {
        return !ahead.isEmpty();
    }

    /**
     * The next batch.
     *
     * @throws IOException when one of its frames or masks cannot be read
     */
    public TrainBatch next() throws IOException {
        Future<TrainBatch> f = ahead.pollFirst();
        if (f == null) {
            throw new NoSuchElementException("the epoch has no more batches");
        }
        fill();
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while loading a batch", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(c.getMessage(), c);
        }
    }

    private void fill() {
        while (ahead.size() < prefetch && next < order.length) {
            int from = next;
            int to = Math.min(order.length, from + batchSize);
            next = to;
            List<Future<TrainSample>> parts = new ArrayList<>(to - from);
            for (int p = from; p < to; p++) {
                int index = order[p];
                long sampleSeed = mix(epochSeed, p);
                parts.add(pool.submit(() -> {
                    try {
                        return dataset.load(index, sampleSeed);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
            }
            ahead.addLast(pool.submit(() -> {
                List<TrainSample> samples = new ArrayList<>(parts.size());
                for (Future<TrainSample> s : parts) {
                    samples.add(s.get());
                }
                return TrainBatch.of(samples);
            }));
        }
    }

    /** A Fisher-Yates permutation of 0..n-1. */
    static int[] shuffled(int n, SplittableRandom rng) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }

    /** A 64-bit mix of two values (SplitMix64's finaliser), for independent seeds. */
    public static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
