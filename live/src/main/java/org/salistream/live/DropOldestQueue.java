package org.salistream.live;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A small bounded queue between a producer that must never wait (the capture thread) and a consumer that
 * may (the Kafka sender): when it is full, {@link #offer} drops the oldest waiting element and counts it.
 * For live video the newest frame is the one worth sending; a stale one only adds latency.
 *
 * @param <T> element type
 */
public final class DropOldestQueue<T> {

    private final ArrayDeque<T> items;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private long dropped;
    private boolean closed;

    /** A queue holding at most {@code capacity} elements. */
    public DropOldestQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        this.items = new ArrayDeque<>(capacity);
    }

    /**
     * Adds an element without waiting; when full, the oldest waiting element is removed first.
     *
     * @return the dropped element, or null when nothing was dropped
     * @throws IllegalStateException after {@link #close()}
     */
    public T offer(T item) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the queue is closed");
            }
            T oldest = null;
            if (items.size() == capacity) {
                oldest = items.pollFirst();
                dropped++;
            }
            items.addLast(item);
            notEmpty.signal();
            return oldest;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds an element, waiting while the queue is full: for sources that have no clock of their own (a file
     * read as fast as it decodes), where dropping would only lose frames.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public void put(T item) throws InterruptedException {
        lock.lock();
        try {
            while (items.size() == capacity && !closed) {
                notFull.await();
            }
            if (closed) {
                throw new IllegalStateException("the queue is closed");
            }
            items.addLast(item);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The oldest element, waiting up to {@code timeout} for one.
     *
     * @return the element, or null when the time passed or the queue is closed and empty
     */
    public T poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (items.isEmpty()) {
                if (closed || nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            T first = items.pollFirst();
            notFull.signal();
            return first;
        } finally {
            lock.unlock();
        }
    }

    /** No more elements will be offered; what is waiting can still be taken. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the queue is closed and empty: the consumer is done. */
    public boolean isDrained() {
        lock.lock();
        try {
            return closed && items.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Elements waiting now. */
    public int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    /** The most elements it holds. */
    public int capacity() {
        return capacity;
    }

    /** Elements dropped so far because the queue was full. */
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }
}
