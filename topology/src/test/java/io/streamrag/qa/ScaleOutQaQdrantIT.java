package io.streamrag.qa;

import io.streamrag.store.qdrant.SharedQdrant;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.qdrant.QdrantContainer;

/**
 * {@link ScaleOutQaScenario} on a real Qdrant in Docker. Skipped where there is no Docker engine;
 * {@code -Dqdrant.image=qdrant/qdrant:<tag>} picks the image.
 */
@Testcontainers(disabledWithoutDocker = true)
class ScaleOutQaQdrantIT extends ScaleOutQaScenario {

    @Container
    private static final QdrantContainer QDRANT =
            new QdrantContainer(System.getProperty("qdrant.image", "qdrant/qdrant:v1.18.2"));

    @Override
    protected SharedQdrant openQdrant() {
        return SharedQdrant.server(QDRANT.getHost(), QDRANT.getMappedPort(QDRANT.getGrpcPort()));
    }
}
