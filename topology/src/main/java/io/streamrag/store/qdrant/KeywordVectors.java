package io.streamrag.store.qdrant;

import io.qdrant.client.grpc.Points.SparseVector;
import io.streamrag.store.KeywordText;
import io.streamrag.store.StoredChunk;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.StringHelper;

/**
 * The keyword leg in Qdrant: a named sparse vector per chunk, term id to weight, over the same analysed terms as the
 * Lucene store ({@link KeywordText}). Qdrant keeps the collection statistics itself: the collection's sparse vector
 * has the IDF modifier, so a match scores {@code query weight * idf(term) * document weight}, with Qdrant's idf
 * {@code ln(1 + (N - n + 0.5) / (n + 0.5))} (BM25's). The document weight is BM25's term-frequency saturation
 * {@code tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / averageLength))}; Qdrant does not know the average chunk
 * length, so a fixed {@link #AVERAGE_TERMS} stands in for it (Lucene uses the real one: the two stores rank
 * alike, their keyword scores differ slightly). A query term weighs its count in the question.
 */
final class KeywordVectors {

    /** The name of the sparse vector in the collection. */
    static final String NAME = "keywords";
    /** BM25 parameters, Lucene's defaults. */
    static final double K1 = 1.2;
    static final double B = 0.75;
    /** Analysed terms of a typical chunk (title and passage of a 128-256 token chunk, stop words removed). */
    static final double AVERAGE_TERMS = 100;

    private KeywordVectors() {
    }

    /** The chunk's sparse vector; empty when its title and text have no terms. */
    static SparseVector document(StoredChunk chunk) {
        List<String> terms = KeywordText.terms(KeywordText.of(chunk));
        Map<Integer, Integer> counts = counts(terms);
        double norm = K1 * (1 - B + B * terms.size() / AVERAGE_TERMS);
        SparseVector.Builder vector = SparseVector.newBuilder();
        counts.forEach((id, tf) -> {
            vector.addIndices(id);
            vector.addValues((float) (tf * (K1 + 1) / (tf + norm)));
        });
        return vector.build();
    }

    /** The question's sparse vector; empty when the question has no terms (only stop words, say). */
    static SparseVector query(String text) {
        SparseVector.Builder vector = SparseVector.newBuilder();
        counts(KeywordText.terms(text)).forEach((id, count) -> {
            vector.addIndices(id);
            vector.addValues(count);
        });
        return vector.build();
    }

    /** A term's index in the sparse vector: its 32-bit MurmurHash3, read as Qdrant's unsigned index. */
    static int termId(String term) {
        return StringHelper.murmurhash3_x86_32(new BytesRef(term), 0);
    }

    /** Counts per term id, ordered by id as unsigned (Qdrant stores sparse indices sorted). */
    private static Map<Integer, Integer> counts(List<String> terms) {
        Map<Integer, Integer> counts = new TreeMap<>(Integer::compareUnsigned);
        for (String term : terms) {
            counts.merge(termId(term), 1, Integer::sum);
        }
        return counts;
    }
}
