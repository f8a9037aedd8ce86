package org.salistream.datasets.synth;

/** Paris classification's two protruded forms, the ones a synthetic polyp takes. */
public enum PolypShape {
    /** Broad-based dome (Paris 0-Is), possibly lobulated. */
    SESSILE,
    /** A head on a stalk (Paris 0-Ip). */
    PEDUNCULATED
}
