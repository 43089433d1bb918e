package io.streamrag.store.qdrant;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A Qdrant stand-in for tests: a real gRPC server on loopback that serves Qdrant's own service definitions (from
 * the client jar) with Qdrant's documented semantics, so the real {@code QdrantClient} talks to it exactly as to a
 * Qdrant node. It models one unnamed dense vector per point; what it does not model it refuses with UNIMPLEMENTED.
 *
 * <pre>{@code
 * try (QdrantGrpcDouble qdrant = QdrantGrpcDouble.start()) {
 *     QdrantVectorStore store = QdrantVectorStore.connect(qdrant.config("docs"));
 *     qdrant.failNextCalls(3);           // three UNAVAILABLE answers, then normal service
 *     qdrant.setAvailable(false);        // an outage until switched back
 *     qdrant.points("docs");             // what is stored, for assertions
 * }
 * }</pre>
 */
public final class QdrantGrpcDouble implements AutoCloseable {

    /** The server version the health check reports (the client warns when it is far from its own). */
    public static final String VERSION = "1.18.2";
    /** Qdrant's default gRPC message limit is 32 MiB, not grpc-java's 4 MiB. */
    private static final int MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

    private final Server server;
    private final DoubleStore store;
    private final DoubleGate gate;
    private final DoublePointsService points;
    private final DoubleCollectionsService collectionsService;
    private volatile String apiKey;

    private QdrantGrpcDouble(Server server, DoubleStore store, DoubleGate gate, DoublePointsService points,
                             DoubleCollectionsService collectionsService) {
        this.server = server;
        this.store = store;
        this.gate = gate;
        this.points = points;
        this.collectionsService = collectionsService;
    }

    /** Starts a double on a free loopback port. */
    public static QdrantGrpcDouble start() {
        DoubleStore store = new DoubleStore();
        DoubleGate gate = new DoubleGate();
        DoublePointsService points = new DoublePointsService(store);
        DoubleCollectionsService collections = new DoubleCollectionsService(store);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .addService(ServerInterceptors.intercept(new DoubleHealthService(VERSION), gate))
                .addService(ServerInterceptors.intercept(new DoubleGrpcHealthService(), gate))
                .addService(ServerInterceptors.intercept(collections, gate))
                .addService(ServerInterceptors.intercept(points, gate))
                .build();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the Qdrant gRPC double", e);
        }
        return new QdrantGrpcDouble(server, store, gate, points, collections);
    }

    /** Creates a collection as this store did before hybrid search: one unnamed cosine vector, no sparse vector. */
    public void createDenseOnlyCollection(String name, int dimension) {
        store.create(name, io.qdrant.client.grpc.Collections.VectorParams.newBuilder().setSize(dimension)
                .setDistance(io.qdrant.client.grpc.Collections.Distance.Cosine).build(), Map.of());
    }

    /** Every CreateCollection request received so far, oldest first. */
    public List<io.qdrant.client.grpc.Collections.CreateCollection> createRequests() {
        synchronized (collectionsService.creates) {
            return List.copyOf(collectionsService.creates);
        }
    }

    /** Every Query API request answered so far (single or batched), oldest first. */
    public List<io.qdrant.client.grpc.Points.QueryPoints> queries() {
        return points.queries();
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return server.getPort();
    }

    /**
     * A store config pointing at this double: plain text, its API key when one is required, short calls and a
     * retry budget of a few seconds (tests should not wait minutes for a give-up).
     */
    public QdrantConfig config(String collection) {
        return QdrantConfig.of(host(), port(), collection)
                .withApiKey(apiKey)
                .withTimeout(Duration.ofSeconds(5))
                .withRetry(new RetryPolicy(Duration.ofSeconds(5), Duration.ofMillis(10),
                        Duration.ofMillis(200), 0.2));
    }

    /** From now on every call but the health checks must carry this key ({@code api-key} header or bearer token). */
    public QdrantGrpcDouble requireApiKey(String key) {
        this.apiKey = key;
        gate.requireApiKey(key);
        return this;
    }

    /**
     * The next {@code count} calls (any method) answer UNAVAILABLE; later ones are served normally. Every call
     * counts, the client's version check at connect time included, so arm it after connecting.
     */
    public void failNextCalls(int count) {
        gate.failNextCalls(count, Status.Code.UNAVAILABLE);
    }

    /** The next {@code count} calls answer with {@code code} (e.g. RESOURCE_EXHAUSTED, INTERNAL). */
    public void failNextCalls(int count, Status.Code code) {
        gate.failNextCalls(count, code);
    }

    /** false: every call answers UNAVAILABLE until switched back with true. */
    public void setAvailable(boolean available) {
        gate.setAvailable(available);
    }

    /** Calls refused by an outage or the API key check so far. */
    public long rejectedCalls() {
        return gate.rejectedCalls();
    }

    /** Calls received for one method, by its full gRPC name, e.g. {@code "qdrant.Points/Upsert"}. */
    public long calls(String fullMethodName) {
        return gate.calls(fullMethodName);
    }

    /** The points of a collection (or of the collection behind an alias), in id order; empty when missing. */
    public List<Point> points(String collection) {
        return store.locked(s -> {
            DoubleCollection found = s.find(collection);
            return found == null ? List.<Point>of() : found.all();
        });
    }

    public List<String> collections() {
        return store.collectionNames();
    }

    /** Alias name to collection name. */
    public Map<String, String> aliases() {
        return store.aliases();
    }

    /** Payload indexes of a collection: field name to schema type name (e.g. "Keyword"). */
    public Map<String, String> payloadIndexes(String collection) {
        return store.locked(s -> {
            DoubleCollection found = s.find(collection);
            if (found == null) {
                return Map.<String, String>of();
            }
            Map<String, String> indexes = new TreeMap<>();
            found.payloadSchema().forEach((field, type) -> indexes.put(field, type.name()));
            return indexes;
        });
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A stored point: its id, payload, its default dense vector (normalised for cosine collections, as Qdrant stores
     * it) and its named sparse vectors.
     */
    public record Point(PointId pointId, Map<String, Value> payload, float[] vector,
                        Map<String, io.qdrant.client.grpc.Points.SparseVector> sparse) {

        public String id() {
            return PointIds.text(pointId);
        }

        /** A top-level string payload field, or null. */
        public String string(String key) {
            Value value = payload.get(key);
            return value != null && value.hasStringValue() ? value.getStringValue() : null;
        }

        /** A top-level integer payload field, or null. */
        public Long integer(String key) {
            Value value = payload.get(key);
            return value != null && value.hasIntegerValue() ? value.getIntegerValue() : null;
        }
    }
}
