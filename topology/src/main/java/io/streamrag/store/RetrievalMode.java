package io.streamrag.store;

import java.util.Locale;

/** Which index legs a search runs: the dense (embedding) leg, the keyword (BM25) leg, or both fused. */
public enum RetrievalMode {
    /** Both legs, fused by reciprocal rank ({@link RankFusion}). */
    HYBRID,
    /** Nearest neighbours of the question's embedding only. */
    DENSE,
    /** BM25 over the passage text and its title only. */
    KEYWORD;

    public boolean usesDense() {
        return this != KEYWORD;
    }

    public boolean usesKeywords() {
        return this != DENSE;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code label} (case-insensitive); null when there is none. */
    public static RetrievalMode parse(String label) {
        for (RetrievalMode mode : values()) {
            if (mode.name().equalsIgnoreCase(label)) {
                return mode;
            }
        }
        return null;
    }
}
