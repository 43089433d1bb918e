package io.streamrag.store.lucene;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How the embedded store keeps and searches its vectors.
 *
 * @param searchCandidates the HNSW beam ("ef") of a search, at least: more means better recall and slower queries
 * @param vectorFormat     how the HNSW graph scores vectors: {@code FLOAT32}, or {@code INT8} scalar-quantised
 *                         (Lucene's {@code Lucene99HnswScalarQuantizedVectorsFormat}: a quarter of the vector memory
 *                         to scan, a little recall lost; the float vectors stay on disk for merges and exact cosines)
 * @param restMergeAfter   how long without writes before the index is merged at rest ({@link RestMergePolicy}: one
 *                         or two segments, so a query walks one or two graphs); zero: never, the tiered merges only
 */
public record LuceneOptions(int searchCandidates, VectorFormat vectorFormat, Duration restMergeAfter) {

    /** Graph scoring of the vectors. */
    public enum VectorFormat {
        FLOAT32,
        INT8;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The format named {@code label} (case-insensitive), or null. */
        public static VectorFormat parse(String label) {
            for (VectorFormat format : values()) {
                if (format.name().equalsIgnoreCase(label)) {
                    return format;
                }
            }
            return null;
        }
    }

    public LuceneOptions {
        Objects.requireNonNull(vectorFormat, "vectorFormat");
        Objects.requireNonNull(restMergeAfter, "restMergeAfter");
        if (restMergeAfter.isNegative()) {
            throw new IllegalArgumentException("restMergeAfter must not be negative, was " + restMergeAfter);
        }
        if (searchCandidates <= 0) {
            throw new IllegalArgumentException("searchCandidates must be positive, was " + searchCandidates);
        }
    }

    public LuceneOptions withVectorFormat(VectorFormat format) {
        return new LuceneOptions(searchCandidates, format, restMergeAfter);
    }

    public LuceneOptions withRestMergeAfter(Duration after) {
        return new LuceneOptions(searchCandidates, vectorFormat, after);
    }
}
