package io.streamrag.qa;

import io.streamrag.store.qdrant.SharedQdrant;

/** {@link ScaleOutQaScenario} on the in-process Qdrant gRPC double: runs everywhere. */
class ScaleOutQaIT extends ScaleOutQaScenario {

    @Override
    protected SharedQdrant openQdrant() {
        return SharedQdrant.grpcDouble();
    }
}
