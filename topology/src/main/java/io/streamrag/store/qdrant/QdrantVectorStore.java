package io.streamrag.store.qdrant;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.BatchResult;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.Query;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.VectorInput;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import io.streamrag.store.SearchHit;
import io.streamrag.store.SearchRequest;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.VectorStore;
import io.streamrag.store.VectorStoreException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Qdrant adapter, over gRPC with the official client. Every write waits until Qdrant applied it
 * ({@code wait=true}), so {@link #flush()} has nothing left to do; transient errors are retried under the config's
 * {@link RetryPolicy} and anything else fails the call.
 */
public final class QdrantVectorStore implements VectorStore {

    private static final Logger LOG = LoggerFactory.getLogger(QdrantVectorStore.class);
    private static final int SCROLL_PAGE = 256;

    private final QdrantClient client;
    private final boolean ownsClient;
    private final QdrantConfig config;
    /**
     * Where reads and writes go: the configured name until {@link #ensureCollection} resolves this model's own
     * collection, then that collection, pinned. So when {@code reindex} moves the alias to a new model's collection,
     * workers still running the old model keep using the old model's vectors until they are restarted on the new one.
     */
    private volatile String collection;
    private final TransientRetry retry;
    private final QdrantCollections collections;

    /** Uses {@code client}, which the caller keeps owning (closing the store leaves it open). */
    public QdrantVectorStore(QdrantClient client, QdrantConfig config) {
        this(client, false, config);
    }

    private QdrantVectorStore(QdrantClient client, boolean ownsClient, QdrantConfig config) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.config = config;
        this.collection = config.collection();
        this.retry = new TransientRetry(config.retry());
        this.collections = new QdrantCollections(client, retry, config.timeout());
    }

    /** Opens a gRPC channel to the configured Qdrant; closing the store closes it. */
    public static QdrantVectorStore connect(QdrantConfig config) {
        return new QdrantVectorStore(newClient(config), true, config);
    }

    /** A client for {@code config} (TLS, API key header, call deadline); for tools that need the raw client. */
    public static QdrantClient newClient(QdrantConfig config) {
        QdrantGrpcClient.Builder builder = QdrantGrpcClient.newBuilder(config.host(), config.port(), config.tls())
                .withTimeout(config.timeout());
        if (config.apiKey() != null) {
            builder.withApiKey(config.apiKey());
        }
        return new QdrantClient(builder.build());
    }

    /** The collections and aliases of this store's Qdrant (for reindex and admin commands). */
    public QdrantCollections collections() {
        return collections;
    }

    /**
     * Without an embedding model in the config: makes sure the plain collection exists. With one: makes sure the
     * alias points at this model's collection {@code <alias>_<model>_<dim>}, creating both on the first start, and
     * fails when the alias serves another model's collection (vectors of two models are not comparable).
     */
    @Override
    public void ensureCollection(int dimension) {
        String alias = config.collection();
        if (config.embeddingModel() == null) {
            if (collections.ensureCollection(collection, dimension)) {
                LOG.info("Created Qdrant collection {} (cosine, {} dimensions)", collection, dimension);
            }
            return;
        }
        String physical = QdrantCollections.collectionName(alias, config.embeddingModel(), dimension);
        Optional<String> existing = collections.aliasTarget(alias);
        if (existing.isPresent()) {
            if (!existing.get().equals(physical)) {
                // Same size is not enough: another model's vectors live in another space.
                throw new VectorStoreException("Qdrant alias " + alias + " points at " + existing.get()
                        + " but embedding model " + config.embeddingModel() + " writes to " + physical
                        + ": run reindex to fill " + physical + " and switch the alias");
            }
            collections.ensureCollection(physical, dimension);
            collection = physical;
            return;
        }
        if (collections.resolve(alias).isPresent()) {
            // A plain collection of that name from before the alias scheme: keep using it, if the size fits.
            collections.ensureCollection(alias, dimension);
            return;
        }
        if (collections.ensureCollection(physical, dimension)) {
            LOG.info("Created Qdrant collection {} (cosine, {} dimensions)", physical, dimension);
        }
        collections.switchAlias(alias, physical);
        LOG.info("Qdrant alias {} now points at {}", alias, physical);
        collection = physical;
    }

    @Override
    public void replaceDocument(String documentId, List<StoredChunk> chunks) {
        List<PointStruct> points = new ArrayList<>(chunks.size());
        for (StoredChunk chunk : chunks) {
            if (!documentId.equals(chunk.documentId())) {
                throw new IllegalArgumentException("Chunk " + chunk.chunkId() + " belongs to document "
                        + chunk.documentId() + ", not to " + documentId);
            }
            points.add(ChunkPayload.toPoint(chunk));
        }
        // Upsert first, then drop the surplus: a crash in between leaves extra chunks that the replay removes,
        // never a document with chunks missing.
        for (int from = 0; from < points.size(); from += config.upsertBatchSize()) {
            List<PointStruct> batch = points.subList(from, Math.min(points.size(), from + config.upsertBatchSize()));
            UpsertPoints request = UpsertPoints.newBuilder()
                    .setCollectionName(collection)
                    .setWait(true)
                    .addAllPoints(batch)
                    .build();
            String operation = "upsert of document " + documentId + " (" + batch.size() + " chunks) into "
                    + collection;
            completed(operation, retry.call(operation, () -> client.upsertAsync(request, config.timeout())));
        }
        deleteWhere(ChunkFilters.surplusChunks(documentId, chunks.size()),
                "delete of surplus chunks (index >= " + chunks.size() + ") of document " + documentId);
    }

    @Override
    public void deleteDocument(String documentId) {
        deleteWhere(ChunkFilters.document(documentId), "delete of document " + documentId);
    }

    /** Writes wait for Qdrant to apply them, so there is nothing left to make durable. */
    @Override
    public void flush() {
    }

    @Override
    public List<List<SearchHit>> search(List<SearchRequest> requests) {
        if (requests.isEmpty()) {
            return List.of();
        }
        List<QueryPoints> queries = new ArrayList<>(requests.size());
        for (SearchRequest request : requests) {
            queries.add(query(request));
        }
        List<BatchResult> batch = retry.call("search of " + requests.size() + " queries in " + collection,
                () -> client.queryBatchAsync(collection, queries, null, config.timeout()));
        if (batch.size() != requests.size()) {
            throw new VectorStoreException("Qdrant answered " + batch.size() + " result lists for "
                    + requests.size() + " queries in " + collection);
        }
        List<List<SearchHit>> results = new ArrayList<>(batch.size());
        for (BatchResult result : batch) {
            List<SearchHit> hits = new ArrayList<>(result.getResultCount());
            for (ScoredPoint point : result.getResultList()) {
                hits.add(new SearchHit(ChunkPayload.fromPoint(point.getId(), point.getPayloadMap(), null),
                        point.getScore()));
            }
            results.add(hits);
        }
        return results;
    }

    @Override
    public List<StoredChunk> chunksOf(String documentId) {
        List<StoredChunk> chunks = new ArrayList<>();
        PointId offset = null;
        do {
            ScrollPoints.Builder request = ScrollPoints.newBuilder()
                    .setCollectionName(collection)
                    .setFilter(ChunkFilters.document(documentId))
                    .setLimit(SCROLL_PAGE)
                    .setWithPayload(WithPayloadSelector.newBuilder().setEnable(true))
                    .setWithVectors(WithVectorsSelector.newBuilder().setEnable(true));
            if (offset != null) {
                request.setOffset(offset);
            }
            ScrollPoints page = request.build();
            ScrollResponse response = retry.call("scroll of document " + documentId + " in " + collection,
                    () -> client.scrollAsync(page, config.timeout()));
            for (RetrievedPoint point : response.getResultList()) {
                chunks.add(ChunkPayload.fromPoint(point.getId(), point.getPayloadMap(), point.getVectors()));
            }
            offset = response.hasNextPageOffset() ? response.getNextPageOffset() : null;
        } while (offset != null);
        chunks.sort(Comparator.comparingInt(StoredChunk::chunkIndex));
        return chunks;
    }

    @Override
    public long count() {
        return retry.call("count of " + collection,
                () -> client.countAsync(collection, null, true, config.timeout()));
    }

    @Override
    public boolean isReachable() {
        try {
            client.healthCheckAsync(config.timeout()).get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            // Not reachable is the answer here, not an error of this call.
            LOG.debug("Qdrant health check at {}:{} failed", config.host(), config.port(), e);
            return false;
        }
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    private QueryPoints query(SearchRequest request) {
        DenseVector.Builder dense = DenseVector.newBuilder();
        for (float component : request.vector()) {
            dense.addData(component);
        }
        QueryPoints.Builder query = QueryPoints.newBuilder()
                .setCollectionName(collection)
                .setQuery(Query.newBuilder().setNearest(VectorInput.newBuilder().setDense(dense)))
                .setFilter(ChunkFilters.forRequest(request))
                .setLimit(request.topK())
                .setWithPayload(WithPayloadSelector.newBuilder().setEnable(true));
        // Cosine scores are never below -1: a threshold at or below it means "no threshold" and is not sent.
        if (request.scoreThreshold() > -1.0) {
            query.setScoreThreshold((float) request.scoreThreshold());
        }
        return query.build();
    }

    private void deleteWhere(Filter filter, String what) {
        DeletePoints request = DeletePoints.newBuilder()
                .setCollectionName(collection)
                .setWait(true)
                .setPoints(PointsSelector.newBuilder().setFilter(filter))
                .build();
        String operation = what + " in " + collection;
        completed(operation, retry.call(operation, () -> client.deleteAsync(request, config.timeout())));
    }

    private static void completed(String operation, UpdateResult result) {
        if (result.getStatus() != UpdateStatus.Completed) {
            throw new VectorStoreException("Qdrant " + operation + " was not applied: status " + result.getStatus());
        }
    }
}
