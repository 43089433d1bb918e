package io.streamrag.qa.rerank;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.store.InMemoryVectorStore;
import io.streamrag.store.SearchHit;
import io.streamrag.store.SearchRequest;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.RetrievalPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RerankingStoreTest {

    private static StoredChunk chunk(String id, String text, float[] vector) {
        return new StoredChunk(java.util.UUID.nameUUIDFromBytes(id.getBytes()).toString(), id, 0, 1L, "T", text,
                null, Map.of(), vector);
    }

    @Test
    void scoresTheWiderCandidateSetAndKeepsTheTopKByTheRerankerWithTheirCosines() {
        InMemoryVectorStore inner = new InMemoryVectorStore();
        inner.replaceDocument("a", List.of(chunk("a", "alpha", new float[] {1, 0})));
        inner.replaceDocument("b", List.of(chunk("b", "beta", new float[] {0.8f, 0.6f})));
        inner.replaceDocument("c", List.of(chunk("c", "gamma is the answer", new float[] {0.6f, 0.8f})));
        List<List<String>> scored = new ArrayList<>();
        PassageScorer scorer = (question, passages) -> {
            scored.add(passages);
            return passages.stream().mapToDouble(p -> p.contains("answer") ? 5 : p.contains("beta") ? 1 : 0)
                    .toArray();
        };
        RerankingStore store = new RerankingStore(inner, scorer, 3);

        List<SearchHit> hits = store.search(List.of(new SearchRequest(new float[] {1, 0}, "which is the answer?",
                2, null, Map.of(), -1.0, RetrievalPlan.DENSE_ONLY))).get(0);

        assertThat(inner.searchCalls().get(0).get(0).topK()).as("widened to the candidates").isEqualTo(3);
        assertThat(scored).hasSize(1);
        assertThat(scored.get(0)).containsExactly("T. alpha", "T. beta", "T. gamma is the answer");
        assertThat(hits).extracting(hit -> hit.chunk().documentId()).containsExactly("c", "b");
        assertThat(hits.get(0).rankScore()).isEqualTo(5.0);
        assertThat(hits.get(0).score()).as("cosine kept").isCloseTo(0.6, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void aRequestWithoutQuestionTextIsNotReranked() {
        InMemoryVectorStore inner = new InMemoryVectorStore();
        inner.replaceDocument("a", List.of(chunk("a", "alpha", new float[] {1, 0})));
        RerankingStore store = new RerankingStore(inner, (q, p) -> {
            throw new AssertionError("not called");
        }, 5);

        List<SearchHit> hits = store.search(List.of(new SearchRequest(new float[] {1, 0}, 1, null, Map.of(), -1.0)))
                .get(0);

        assertThat(hits).hasSize(1);
        assertThat(inner.searchCalls().get(0).get(0).topK()).isEqualTo(1);
    }
}
