package io.streamrag.ingest;

import io.streamrag.store.qdrant.SharedQdrant;

/** {@link ScaleOutIngestScenario} on the in-process Qdrant gRPC double: runs everywhere. */
class ScaleOutIngestIT extends ScaleOutIngestScenario {

    @Override
    protected SharedQdrant openQdrant() {
        return SharedQdrant.grpcDouble();
    }
}
