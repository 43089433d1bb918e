package io.streamrag.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weighted reciprocal-rank fusion exactly as Qdrant's Query API computes it (its {@code rrf} query with {@code k}
 * and {@code weights}), so the embedded store and Qdrant rank a hybrid result the same way: a passage at 0-based
 * position {@code p} of a leg with weight {@code w} gains {@code 1 / ((p + 1) / w + k - 1)}; its fused score is the
 * sum over the legs that found it. Ties keep the order in which the passages were first seen (dense leg first).
 */
public final class RankFusion {

    private RankFusion() {
    }

    /** The contribution of position {@code position} (0-based) of a leg with weight {@code weight}. */
    public static double positionScore(int position, int k, double weight) {
        return 1.0 / ((position + 1) / weight + k - 1);
    }

    /**
     * Fuses ranked legs of keys (each best first, no duplicates within a leg) into one ranking, best first.
     *
     * @param legs    the ranked keys of each leg
     * @param weights one weight per leg
     */
    public static <K> List<Fused<K>> fuse(List<List<K>> legs, double[] weights, int k) {
        if (legs.size() != weights.length) {
            throw new IllegalArgumentException(legs.size() + " legs but " + weights.length + " weights");
        }
        Map<K, double[]> scores = new LinkedHashMap<>();
        for (int leg = 0; leg < legs.size(); leg++) {
            List<K> ranked = legs.get(leg);
            for (int position = 0; position < ranked.size(); position++) {
                scores.computeIfAbsent(ranked.get(position), key -> new double[1])[0]
                        += positionScore(position, k, weights[leg]);
            }
        }
        List<Fused<K>> fused = new ArrayList<>(scores.size());
        scores.forEach((key, score) -> fused.add(new Fused<>(key, score[0])));
        // List.sort is stable: equal scores keep first-seen order
        fused.sort(Comparator.comparingDouble(Fused<K>::score).reversed());
        return fused;
    }

    /** A fused passage key and its RRF score. */
    public record Fused<K>(K key, double score) {
    }
}
