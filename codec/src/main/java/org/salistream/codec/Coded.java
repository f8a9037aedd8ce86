package org.salistream.codec;

/**
 * An enum constant with an explicit, stable wire code. Formats store the code, never the ordinal, so that
 * reordering or adding constants cannot change what stored bytes mean.
 */
public interface Coded {

    /** The constant's code, 0..255, unique within its type and never reused. */
    int code();
}
