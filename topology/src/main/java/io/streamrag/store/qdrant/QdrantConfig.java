package io.streamrag.store.qdrant;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to reach Qdrant (gRPC port, 6334 by default).
 *
 * @param host            Qdrant host name
 * @param port            Qdrant gRPC port
 * @param tls             use TLS (Qdrant Cloud needs it)
 * @param apiKey          sent as the {@code api-key} header on every call; null for an open server
 * @param timeout         deadline of each single call (each retry attempt gets a fresh one)
 * @param collection      the name the store reads and writes; with an {@code embeddingModel} it is an alias
 * @param embeddingModel  when set, {@link QdrantVectorStore#ensureCollection(int)} creates the physical collection
 *                        {@code <collection>_<model>_<dim>} and points the alias {@code collection} at it, so a
 *                        reindex with another model can fill a new collection and switch the alias atomically; when
 *                        null, {@code collection} is a plain collection
 * @param upsertBatchSize points per upsert call (keeps each gRPC message well below the 4 MiB default limit)
 * @param retry           how transient errors are retried
 * @param collectionOptions how new collections are built (HNSW, quantisation, on-disk, shards) and searched
 */
public record QdrantConfig(
        String host,
        int port,
        boolean tls,
        String apiKey,
        Duration timeout,
        String collection,
        String embeddingModel,
        int upsertBatchSize,
        RetryPolicy retry,
        CollectionOptions collectionOptions) {

    public static final int DEFAULT_GRPC_PORT = 6334;

    public QdrantConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(collectionOptions, "collectionOptions");
        if (host.isBlank()) {
            throw new IllegalArgumentException("Qdrant host must not be blank");
        }
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("Qdrant port must be in 1..65535, was " + port);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("Qdrant call timeout must be positive, was " + timeout);
        }
        if (collection.isBlank()) {
            throw new IllegalArgumentException("Qdrant collection name must not be blank");
        }
        if (upsertBatchSize <= 0) {
            throw new IllegalArgumentException("upsertBatchSize must be positive, was " + upsertBatchSize);
        }
        if (apiKey != null && apiKey.isBlank()) {
            apiKey = null;
        }
    }

    /** Plain-text gRPC to {@code host:port}, no API key, 10 s calls, default retries, no alias scheme. */
    public static QdrantConfig of(String host, int port, String collection) {
        return new QdrantConfig(host, port, false, null, Duration.ofSeconds(10), collection, null, 256,
                RetryPolicy.defaults(), CollectionOptions.SERVER_DEFAULTS);
    }

    public QdrantConfig withTls(boolean useTls) {
        return new QdrantConfig(host, port, useTls, apiKey, timeout, collection, embeddingModel, upsertBatchSize,
                retry, collectionOptions);
    }

    public QdrantConfig withApiKey(String key) {
        return new QdrantConfig(host, port, tls, key, timeout, collection, embeddingModel, upsertBatchSize, retry,
                collectionOptions);
    }

    public QdrantConfig withTimeout(Duration callTimeout) {
        return new QdrantConfig(host, port, tls, apiKey, callTimeout, collection, embeddingModel, upsertBatchSize,
                retry, collectionOptions);
    }

    public QdrantConfig withCollection(String name) {
        return new QdrantConfig(host, port, tls, apiKey, timeout, name, embeddingModel, upsertBatchSize, retry,
                collectionOptions);
    }

    public QdrantConfig withEmbeddingModel(String model) {
        return new QdrantConfig(host, port, tls, apiKey, timeout, collection, model, upsertBatchSize, retry,
                collectionOptions);
    }

    public QdrantConfig withUpsertBatchSize(int size) {
        return new QdrantConfig(host, port, tls, apiKey, timeout, collection, embeddingModel, size, retry,
                collectionOptions);
    }

    public QdrantConfig withCollectionOptions(CollectionOptions options) {
        return new QdrantConfig(host, port, tls, apiKey, timeout, collection, embeddingModel, upsertBatchSize, retry,
                options);
    }

    public QdrantConfig withRetry(RetryPolicy policy) {
        return new QdrantConfig(host, port, tls, apiKey, timeout, collection, embeddingModel, upsertBatchSize,
                policy, collectionOptions);
    }

    /** Never prints the API key. */
    @Override
    public String toString() {
        return "QdrantConfig[" + (tls ? "grpcs" : "grpc") + "://" + host + ":" + port + ", collection=" + collection
                + (embeddingModel == null ? "" : ", embeddingModel=" + embeddingModel)
                + ", apiKey=" + (apiKey == null ? "none" : "***") + ", timeout=" + timeout
                + ", upsertBatchSize=" + upsertBatchSize + ", retry=" + retry + ", " + collectionOptions + "]";
    }
}
