package io.streamrag.store.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrag.store.SearchRequest;
import io.streamrag.store.VectorStore;
import io.streamrag.store.VectorStoreContractTest;
import io.streamrag.store.VectorStoreException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.qdrant.QdrantContainer;

/**
 * The same contract against a real Qdrant in Docker, which keeps the gRPC double honest. Skipped where there is no
 * Docker engine. The image can be changed with {@code -Dqdrant.image=qdrant/qdrant:<tag>}.
 */
@Testcontainers(disabledWithoutDocker = true)
class QdrantVectorStoreIT extends VectorStoreContractTest {

    private static final String API_KEY = "it-api-key";
    private static final AtomicInteger COLLECTIONS = new AtomicInteger();

    @Container
    private static final QdrantContainer QDRANT =
            new QdrantContainer(System.getProperty("qdrant.image", "qdrant/qdrant:v1.18.2")).withApiKey(API_KEY);

    private QdrantConfig config(String collection) {
        return QdrantConfig.of(QDRANT.getHost(), QDRANT.getMappedPort(QDRANT.getGrpcPort()), collection)
                .withApiKey(API_KEY);
    }

    @Override
    protected VectorStore newStore() {
        return QdrantVectorStore.connect(config("it_" + COLLECTIONS.incrementAndGet()));
    }

    @Test
    void servesAModelCollectionThroughAnAliasAndSwitchesIt() {
        String alias = "it_alias_" + COLLECTIONS.incrementAndGet();
        try (QdrantVectorStore aliased = QdrantVectorStore.connect(config(alias).withEmbeddingModel("model-a"))) {
            aliased.ensureCollection(DIMENSION);
            aliased.ensureCollection(DIMENSION);
            aliased.replaceDocument("old", List.of(untenanted("old", 0, "old text", new float[] {1, 0, 0, 0})));

            QdrantCollections collections = aliased.collections();
            String next = QdrantCollections.collectionName(alias, "model-b", DIMENSION);
            collections.ensureCollection(next, DIMENSION);
            try (QdrantVectorStore direct = QdrantVectorStore.connect(config(next))) {
                direct.replaceDocument("new", List.of(untenanted("new", 0, "new text", new float[] {1, 0, 0, 0})));
            }
            collections.switchAlias(alias, next);

            List<String> texts = aliased.search(List.of(new SearchRequest(new float[] {1, 0, 0, 0}, 5, null,
                    Map.of(), -1))).get(0).stream().map(hit -> hit.chunk().text()).toList();
            assertThat(texts).containsExactly("new text");
            assertThat(collections.listAliases()).containsEntry(alias, next);
            assertThat(collections.resolve(alias)).contains(next);
        }
    }

    @Test
    void refusesCallsWithoutTheApiKey() {
        try (QdrantVectorStore keyless = QdrantVectorStore.connect(config("it_keyless").withApiKey(null)
                .withRetry(RetryPolicy.none()))) {
            assertThatThrownBy(keyless::count).isInstanceOf(VectorStoreException.class);
        }
    }
}
