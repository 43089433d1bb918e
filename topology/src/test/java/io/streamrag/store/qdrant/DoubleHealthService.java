package io.streamrag.store.qdrant;

import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.QdrantGrpc;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckReply;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckRequest;

/** Qdrant's own health check; the client compares the version it reports with its own at connect time. */
final class DoubleHealthService extends QdrantGrpc.QdrantImplBase {

    private final String version;

    DoubleHealthService(String version) {
        this.version = version;
    }

    @Override
    public void healthCheck(HealthCheckRequest request, StreamObserver<HealthCheckReply> observer) {
        DoubleCalls.respond(observer, () -> HealthCheckReply.newBuilder()
                .setTitle("qdrant - vector search engine")
                .setVersion(version)
                .setCommit("qdrant-grpc-double")
                .build());
    }
}
