package org.salistream.model.profile;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Named sections of a forward pass, for {@code sali bench model --profile}: the model code marks its blocks
 * ({@code try (Sections.Section s = Sections.open("rfb 1/8")) { ... }}) and a {@link Listener} installed on
 * the thread sees every entry and exit. Without a listener (always, outside a profile) a section costs one
 * thread-local read and allocates nothing.
 *
 * <p>Sections nest; a listener sees them as a stack. Convolutions report their counted work through
 * {@link #flops}, since libtorch's trace records their input shapes but not their strides.
 */
public final class Sections {

    /** Sees the sections of the thread it is installed on. */
    public interface Listener {
        /** A section starts. */
        void enter(String name);

        /** The innermost section ends. */
        void exit();

        /** Work counted by a layer in the current section: multiply-adds times two. */
        default void flops(long n) {}
    }

    /** An open section; closing it ends it. */
    @FunctionalInterface
    public interface Section extends AutoCloseable {
        @Override
        void close();
    }

    private static final ThreadLocal<Listener> CURRENT = new ThreadLocal<>();
    private static final Section NONE = () -> {};
    private static final Section EXIT = () -> {
        Listener l = CURRENT.get();
        if (l != null) {
            l.exit();
        }
    };

    private Sections() {}

    /** Opens a section on this thread (a no-op without a listener). */
    public static Section open(String name) {
        Listener l = CURRENT.get();
        if (l == null) {
            return NONE;
        }
        l.enter(name);
        return EXIT;
    }

    /** Whether a listener sees this thread's sections (so that counting work is worth its cost). */
    public static boolean observed() {
        return CURRENT.get() != null;
    }

    /** Reports {@code n} floating-point operations of the current section (a no-op without a listener). */
    public static void flops(long n) {
        Listener l = CURRENT.get();
        if (l != null) {
            l.flops(n);
        }
    }

    /** Runs {@code body} on this thread with {@code listener} seeing its sections. */
    public static <T> T observe(Listener listener, Supplier<T> body) {
        Objects.requireNonNull(listener);
        Listener before = CURRENT.get();
        CURRENT.set(listener);
        try {
            return body.get();
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }
}
