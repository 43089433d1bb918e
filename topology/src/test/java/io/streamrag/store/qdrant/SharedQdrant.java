package io.streamrag.store.qdrant;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The one Qdrant that every instance of a multi-instance scenario writes to and reads from: the in-process gRPC
 * double, or a real server (a Testcontainers container). The scenarios are written against this, once, and run
 * against either.
 */
public interface SharedQdrant extends AutoCloseable {

    /** Where an instance's store connects for {@code collection}. */
    QdrantConfig config(String collection);

    /**
     * How many distinct points the server holds in {@code collection}, read past the store under test (the
     * double's own memory, or a scroll over the real server), so a duplicate or stray point cannot hide.
     */
    long distinctPoints(String collection);

    /** Upsert calls the server has served, where it counts them (the double does; a real server does not). */
    OptionalLong upsertCalls();

    /** What it is, for log lines. */
    String describe();

    /** Stops what this handle started (a double it started; never a container, which its test class owns). */
    @Override
    void close();

    /** A fresh gRPC double, stopped by {@link #close()}. */
    static SharedQdrant grpcDouble() {
        QdrantGrpcDouble qdrant = QdrantGrpcDouble.start();
        return new SharedQdrant() {
            @Override
            public QdrantConfig config(String collection) {
                return qdrant.config(collection);
            }

            @Override
            public long distinctPoints(String collection) {
                return qdrant.points(collection).stream().map(QdrantGrpcDouble.Point::id).distinct().count();
            }

            @Override
            public OptionalLong upsertCalls() {
                return OptionalLong.of(qdrant.calls("qdrant.Points/Upsert"));
            }

            @Override
            public String describe() {
                return "Qdrant gRPC double " + qdrant.host() + ":" + qdrant.port();
            }

            @Override
            public void close() {
                qdrant.close();
            }
        };
    }

    /** A real Qdrant server at {@code host:grpcPort}, which outlives this handle. */
    static SharedQdrant server(String host, int grpcPort) {
        return new SharedQdrant() {
            @Override
            public QdrantConfig config(String collection) {
                return QdrantConfig.of(host, grpcPort, collection);
            }

            @Override
            public long distinctPoints(String collection) {
                Set<PointId> ids = new HashSet<>();
                try (QdrantClient client = QdrantVectorStore.newClient(config(collection))) {
                    PointId offset = null;
                    do {
                        ScrollPoints.Builder page = ScrollPoints.newBuilder().setCollectionName(collection)
                                .setLimit(256);
                        if (offset != null) {
                            page.setOffset(offset);
                        }
                        ScrollResponse response = client.scrollAsync(page.build()).get(30, TimeUnit.SECONDS);
                        for (RetrievedPoint point : response.getResultList()) {
                            ids.add(point.getId());
                        }
                        offset = response.hasNextPageOffset() ? response.getNextPageOffset() : null;
                    } while (offset != null);
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot scroll " + collection + " on " + describe(), e);
                }
                return ids.size();
            }

            @Override
            public OptionalLong upsertCalls() {
                return OptionalLong.empty();
            }

            @Override
            public String describe() {
                return "Qdrant server " + host + ":" + grpcPort;
            }

            @Override
            public void close() {
                // the server belongs to whoever started it
            }
        };
    }
}
