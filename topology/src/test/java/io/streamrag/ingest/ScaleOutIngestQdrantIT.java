package io.streamrag.ingest;

import io.streamrag.store.qdrant.SharedQdrant;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.qdrant.QdrantContainer;

/**
 * {@link ScaleOutIngestScenario} on a real Qdrant in Docker, which keeps the double's semantics honest for this
 * scenario. Skipped where there is no Docker engine; {@code -Dqdrant.image=qdrant/qdrant:<tag>} picks the image.
 */
@Testcontainers(disabledWithoutDocker = true)
class ScaleOutIngestQdrantIT extends ScaleOutIngestScenario {

    @Container
    private static final QdrantContainer QDRANT =
            new QdrantContainer(System.getProperty("qdrant.image", "qdrant/qdrant:v1.18.2"));

    @Override
    protected SharedQdrant openQdrant() {
        return SharedQdrant.server(QDRANT.getHost(), QDRANT.getMappedPort(QDRANT.getGrpcPort()));
    }
}
