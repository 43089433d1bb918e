package io.streamrag.store.lucene;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.TieredMergePolicy;

/** The codec and merge policy of the embedded index. */
final class LuceneCodecs {

    /**
     * Segments of similar size merged together once this many exist. Lucene's default (10) suits text search;
     * an HNSW query walks one graph per segment, so fewer, larger segments make queries faster at the price of more
     * merging (Lucene 9.12 merges a graph by inserting the smaller segments into the largest one's).
     */
    static final double SEGMENTS_PER_TIER = 4;
    /**
     * Segments below this size count as this size: the tiny segments every near-real-time refresh and commit
     * flushes are merged together early instead of piling up.
     */
    static final double FLOOR_SEGMENT_MB = 32;

    private LuceneCodecs() {
    }

    static Codec forVectors(LuceneOptions.VectorFormat format) {
        KnnVectorsFormat vectors = format == LuceneOptions.VectorFormat.INT8
                ? new Lucene99HnswScalarQuantizedVectorsFormat()
                : new Lucene99HnswVectorsFormat();
        return new Lucene912Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return vectors;
            }
        };
    }

    /** Tiered merges while writes come, the {@link RestMergePolicy} when {@link RestMerger} merges at rest. */
    static MergePolicy mergePolicy() {
        TieredMergePolicy whileWriting = new TieredMergePolicy();
        whileWriting.setSegmentsPerTier(SEGMENTS_PER_TIER);
        whileWriting.setFloorSegmentMB(FLOOR_SEGMENT_MB);
        return new RestMergePolicy(whileWriting);
    }
}
