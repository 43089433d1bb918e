package io.streamrag.store.qdrant;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.BatchResult;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PayloadIncludeSelector;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import io.streamrag.store.RetrievalMode;
import io.streamrag.store.SearchHit;
import io.streamrag.store.SearchRequest;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.StoredEmbedding;
import io.streamrag.store.VectorStore;
import io.streamrag.store.VectorStoreException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
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
    /** False for a collection created before hybrid search: it has no keyword vector to write or search. */
    private volatile boolean keywordsIndexed = true;

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
        this.collections = new QdrantCollections(client, retry, config.timeout(), config.collectionOptions());
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
        resolveCollection(dimension);
        keywordsIndexed = collections.hasKeywordIndex(collection);
        if (!keywordsIndexed) {
            LOG.warn("Qdrant collection {} was created before hybrid search and has no '{}' sparse vector: it is "
                    + "searched and written dense-only; run reindex to get keyword and hybrid retrieval",
                    collection, KeywordVectors.NAME);
        }
    }

    private void resolveCollection(int dimension) {
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
            points.add(ChunkPayload.toPoint(chunk, keywordsIndexed));
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

    /**
     * Dense requests: one nearest query each, the threshold applied by Qdrant. Keyword and hybrid requests: one
     * Query API request each (hybrid: a dense and a sparse prefetch, both under the request's filter, fused by
     * Qdrant's weighted RRF), returning the dense vectors so every hit gets its cosine; the threshold then drops
     * passages in fused order. A request that lost too many passages to the threshold is asked again for every fused
     * candidate, so it gets the same top-k as the Lucene store would.
     */
    @Override
    public List<List<SearchHit>> search(List<SearchRequest> requests) {
        if (requests.isEmpty()) {
            return List.of();
        }
        List<List<SearchHit>> results = new ArrayList<>(Collections.nCopies(requests.size(), null));
        List<Integer> pending = new ArrayList<>();
        List<QueryPoints> queries = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            SearchRequest request = effective(requests.get(i));
            QueryPoints query = QdrantQueries.firstPass(collection, request, config.collectionOptions().searchEf());
            if (query == null) {
                results.set(i, List.of()); // a keyword search for a question without keywords
            } else {
                pending.add(i);
                queries.add(query);
            }
        }
        List<BatchResult> first = queryBatch(queries);
        List<Integer> again = new ArrayList<>();
        List<QueryPoints> fuller = new ArrayList<>();
        for (int p = 0; p < pending.size(); p++) {
            int i = pending.get(p);
            SearchRequest request = effective(requests.get(i));
            List<SearchHit> hits = hits(request, first.get(p));
            QueryPoints full = hits.size() < request.topK()
                    ? QdrantQueries.fullPass(collection, request, queries.get(p),
                            first.get(p).getResultCount(), config.collectionOptions().searchEf())
                    : null;
            if (full == null) {
                results.set(i, hits);
            } else {
                again.add(i);
                fuller.add(full);
            }
        }
        List<BatchResult> second = queryBatch(fuller);
        for (int a = 0; a < again.size(); a++) {
            int i = again.get(a);
            results.set(i, hits(effective(requests.get(i)), second.get(a)));
        }
        return results;
    }

    /** A collection without the keyword vector can only be searched dense. */
    private SearchRequest effective(SearchRequest request) {
        if (keywordsIndexed || !request.mode().usesKeywords()) {
            return request;
        }
        return new SearchRequest(request.vector(), request.text(), request.topK(), request.tenant(),
                request.filters(), request.scoreThreshold(), request.plan().withMode(RetrievalMode.DENSE));
    }

    private List<BatchResult> queryBatch(List<QueryPoints> queries) {
        if (queries.isEmpty()) {
            return List.of();
        }
        List<BatchResult> batch = retry.call("search of " + queries.size() + " queries in " + collection,
                () -> client.queryBatchAsync(collection, queries, null, config.timeout()));
        if (batch.size() != queries.size()) {
            throw new VectorStoreException("Qdrant answered " + batch.size() + " result lists for "
                    + queries.size() + " queries in " + collection);
        }
        return batch;
    }

    private static List<SearchHit> hits(SearchRequest request, BatchResult result) {
        List<SearchHit> hits = new ArrayList<>(Math.min(request.topK(), result.getResultCount()));
        if (!request.mode().usesKeywords()) {
            for (ScoredPoint point : result.getResultList()) {
                hits.add(new SearchHit(ChunkPayload.fromPoint(point.getId(), point.getPayloadMap(), null),
                        point.getScore()));
            }
            return hits;
        }
        boolean thresholded = request.scoreThreshold() > -1.0;
        for (ScoredPoint point : result.getResultList()) {
            if (hits.size() == request.topK()) {
                break;
            }
            StoredChunk withVector = ChunkPayload.fromPoint(point.getId(), point.getPayloadMap(), point.getVectors());
            if (withVector.vector() == null) {
                throw new VectorStoreException("Qdrant returned point " + withVector.chunkId()
                        + " without its dense vector");
            }
            double cosine = Cosine.of(request.vector(), withVector.vector());
            if (thresholded && cosine < request.scoreThreshold()) {
                continue;
            }
            StoredChunk chunk = new StoredChunk(withVector.chunkId(), withVector.documentId(),
                    withVector.chunkIndex(), withVector.version(), withVector.title(), withVector.text(),
                    withVector.tenant(), withVector.metadata(), null);
            hits.add(new SearchHit(chunk, cosine, point.getScore()));
        }
        return hits;
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

    /** One scroll over all the documents' points, with their vectors and the two payload fields reuse needs. */
    @Override
    public List<StoredEmbedding> embeddingsOf(Collection<String> documentIds) {
        if (documentIds.isEmpty()) {
            return List.of();
        }
        List<StoredEmbedding> embeddings = new ArrayList<>();
        PointId offset = null;
        do {
            ScrollPoints.Builder request = ScrollPoints.newBuilder()
                    .setCollectionName(collection)
                    .setFilter(ChunkFilters.documents(documentIds))
                    .setLimit(SCROLL_PAGE)
                    .setWithPayload(WithPayloadSelector.newBuilder().setInclude(PayloadIncludeSelector.newBuilder()
                            .addFields(ChunkPayload.DOCUMENT_ID).addFields(ChunkPayload.EMBEDDING_FINGERPRINT)))
                    .setWithVectors(WithVectorsSelector.newBuilder().setEnable(true));
            if (offset != null) {
                request.setOffset(offset);
            }
            ScrollPoints page = request.build();
            ScrollResponse response = retry.call("scroll of the embeddings of " + documentIds.size()
                    + " documents in " + collection, () -> client.scrollAsync(page, config.timeout()));
            for (RetrievedPoint point : response.getResultList()) {
                String fingerprint = ChunkPayload.string(point.getPayloadMap(), ChunkPayload.EMBEDDING_FINGERPRINT);
                float[] vector = point.hasVectors() ? ChunkPayload.vector(point.getVectors()) : null;
                if (fingerprint != null && vector != null) {
                    embeddings.add(new StoredEmbedding(
                            ChunkPayload.string(point.getPayloadMap(), ChunkPayload.DOCUMENT_ID), fingerprint, vector));
                }
            }
            offset = response.hasNextPageOffset() ? response.getNextPageOffset() : null;
        } while (offset != null);
        return embeddings;
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
