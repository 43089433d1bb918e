package io.streamrag.qa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamrag.store.SearchHit;
import io.streamrag.store.StoredChunk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetrievalWeightsTest {

    private static SearchHit hit(String id, double cosine, double fused) {
        return new SearchHit(new StoredChunk(id, id, 0, 1L, null, "text", null, Map.of(), null), cosine, fused);
    }

    @Test
    void priorIsTheSoftmaxOfTheCosinesOverTheFusedTopKNotOfTheFusionScores() {
        // fused order puts a keyword hit with a low cosine first: p(d|x) still follows the inner products
        List<SearchHit> fused = List.of(hit("keyword-first", 0.2, 0.75), hit("both", 0.7, 0.67),
                hit("dense-only", 0.9, 0.5));

        double[] weights = RetrievalWeights.of(fused, 1.0);

        double z = Math.exp(0.2) + Math.exp(0.7) + Math.exp(0.9);
        assertThat(weights[0]).isCloseTo(Math.exp(0.2) / z, within(1e-12));
        assertThat(weights[1]).isCloseTo(Math.exp(0.7) / z, within(1e-12));
        assertThat(weights[2]).isCloseTo(Math.exp(0.9) / z, within(1e-12));
        assertThat(weights[0] + weights[1] + weights[2]).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void temperatureSharpensThePrior() {
        List<SearchHit> hits = List.of(hit("a", 0.9, 0.9), hit("b", 0.5, 0.5));

        double[] plain = RetrievalWeights.of(hits, 1.0);
        double[] sharp = RetrievalWeights.of(hits, 0.1);

        assertThat(sharp[0]).isGreaterThan(plain[0]);
        assertThat(sharp[0]).isCloseTo(1 / (1 + Math.exp(-4.0)), within(1e-12));
    }
}
