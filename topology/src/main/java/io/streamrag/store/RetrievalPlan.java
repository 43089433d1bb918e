package io.streamrag.store;

import java.util.Objects;

/**
 * How a search finds its passages: which legs run, how deep each leg looks, and how the legs are fused.
 *
 * @param mode              the legs that run
 * @param denseCandidates   passages the dense leg hands to fusion (at least the request's top-k is used)
 * @param keywordCandidates passages the keyword leg hands to fusion (at least the request's top-k is used)
 * @param rrfK              the reciprocal-rank constant: a passage at 0-based position p of a leg scores
 *                          {@code w / (p + 1 + w * (k - 1))}, i.e. {@code 1 / (k + p)} at weight 1 (Qdrant's definition)
 * @param denseWeight       the dense leg's RRF weight
 * @param keywordWeight     the keyword leg's RRF weight
 */
public record RetrievalPlan(RetrievalMode mode, int denseCandidates, int keywordCandidates, int rrfK,
                           double denseWeight, double keywordWeight) {

    /** Default depth of each leg: deep enough that a passage ranked well by one leg only still reaches fusion. */
    public static final int DEFAULT_CANDIDATES = 50;
    /**
     * Default RRF constant: Qdrant's own default (its plain {@code fusion: RRF}). Cormack et al. use 60 for fusing
     * many runs of similar quality; with two legs and a small top-k a small constant lets a passage one leg ranks
     * first outrank one both legs rank fifth. On SQuAD paragraphs k = 1, 2, 5 and 10 are within 0.01 R@1 of each
     * other, 60 is worse (see docs/benchmarks.md).
     */
    public static final int DEFAULT_RRF_K = 2;

    /** The dense leg alone, as retrieval was before hybrid search. */
    public static final RetrievalPlan DENSE_ONLY = new RetrievalPlan(RetrievalMode.DENSE, DEFAULT_CANDIDATES,
            DEFAULT_CANDIDATES, DEFAULT_RRF_K, 1.0, 1.0);

    public RetrievalPlan {
        Objects.requireNonNull(mode, "mode");
        if (denseCandidates < 1 || keywordCandidates < 1) {
            throw new IllegalArgumentException("leg candidates must be >= 1, were " + denseCandidates + " (dense) and "
                    + keywordCandidates + " (keyword)");
        }
        if (rrfK < 1) {
            throw new IllegalArgumentException("rrfK must be >= 1, was " + rrfK);
        }
        if (!(denseWeight > 0) || !(keywordWeight > 0)) {
            throw new IllegalArgumentException("leg weights must be > 0, were " + denseWeight + " and "
                    + keywordWeight);
        }
    }

    public static RetrievalPlan hybrid() {
        return DENSE_ONLY.withMode(RetrievalMode.HYBRID);
    }

    public RetrievalPlan withMode(RetrievalMode newMode) {
        return new RetrievalPlan(newMode, denseCandidates, keywordCandidates, rrfK, denseWeight, keywordWeight);
    }

    /** How many passages the dense leg returns for a request of {@code topK}. */
    public int denseDepth(int topK) {
        return Math.max(topK, denseCandidates);
    }

    /** How many passages the keyword leg returns for a request of {@code topK}. */
    public int keywordDepth(int topK) {
        return Math.max(topK, keywordCandidates);
    }
}
