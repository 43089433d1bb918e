package io.streamrag.ingest.batch;

import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.contracts.Operation;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.IngestMetrics;
import io.streamrag.ingest.chunk.Chunk;
import io.streamrag.ingest.chunk.DocumentChunker;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.StoredEmbedding;
import io.streamrag.store.VectorStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies one batch of document changes to the vector store: chunks every upserted document, reuses the stored vector
 * of every chunk whose embedding text (and embedder) did not change, embeds the rest in one {@link TextEmbedder#embed}
 * call (sliced only by {@code maxEmbedTexts}) and replaces or deletes each document; {@link #apply} also flushes the
 * store (makes the batch durable), while the ingest topology, which uses {@link #applyPlanned}, leaves that to
 * {@link StoreCommitHook}, once per Kafka commit. Returns one {@link IndexUpdate} per change; the batch is searchable
 * when it returns. Writes are idempotent (deterministic chunk ids, surplus chunks removed), so applying a batch again
 * after a crash leaves the store as one application did; a reused vector is the one computed for the same
 * fingerprint, whichever version wrote it, so a replay that reuses what the crashed attempt wrote is no different.
 * Failures of the embedder or the store propagate with the batch's document ids; nothing is half-reported.
 */
public final class BatchIndexer {

    private final DocumentChunker chunker;
    private final TextEmbedder embedder;
    private final VectorStore store;
    private final int maxEmbedTexts;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final String collection;
    private final EmbeddingFingerprints fingerprints;
    private final boolean reuseVectors;

    /** Reuses stored vectors of unchanged chunks (the default of {@code ingest.reuse.vectors}). */
    public BatchIndexer(DocumentChunker chunker, TextEmbedder embedder, VectorStore store, int maxEmbedTexts,
                        IngestMetrics metrics, Clock clock, String collection) {
        this(chunker, embedder, store, maxEmbedTexts, metrics, clock, collection, true);
    }

    /** With {@code reuseVectors} false every chunk is embedded on every change (vectors still get fingerprints). */
    public BatchIndexer(DocumentChunker chunker, TextEmbedder embedder, VectorStore store, int maxEmbedTexts,
                        IngestMetrics metrics, Clock clock, String collection, boolean reuseVectors) {
        this.chunker = chunker;
        this.embedder = embedder;
        this.store = store;
        this.maxEmbedTexts = maxEmbedTexts;
        this.metrics = metrics;
        this.clock = clock;
        this.collection = collection;
        this.fingerprints = EmbeddingFingerprints.of(embedder);
        this.reuseVectors = reuseVectors;
    }

    /** Applies the changes and flushes the store: each batch durable on return (reindex, evaluation). */
    public List<IndexUpdate> apply(List<DocumentChange> changes) {
        List<IndexUpdate> updates = applyPlanned(changes.stream().map(this::plan).toList());
        try {
            store.flush();
        } catch (RuntimeException e) {
            throw new BatchFailedException("flushing the vector store failed",
                    changes.stream().map(DocumentChange::getDocumentId).toList(), e);
        }
        return updates;
    }

    /** Chunks one change: what it will cost to embed ({@link PlannedChange#tokens()}) is known before it is applied. */
    public PlannedChange plan(DocumentChange change) {
        List<Chunk> chunks = change.getOperation() == Operation.DELETE ? List.of()
                : chunker.chunk(change.getDocumentId(), change.getTitle(), change.getBody());
        return new PlannedChange(change, chunks);
    }

    /**
     * Applies changes chunked by {@link #plan}: written and searchable on return, durable at the store's next flush
     * (in the ingest topology: when Kafka Streams commits, see {@link StoreCommitHook}).
     */
    public List<IndexUpdate> applyPlanned(List<PlannedChange> changes) {
        return applyBatch(changes).updates();
    }

    /** Applies changes chunked by {@link #plan}, and tells how many chunks were embedded and reused. */
    public Applied applyBatch(List<PlannedChange> changes) {
        return applyPrepared(prepare(changes), Map.of());
    }

    /**
     * Reads the stored vectors of the batch's documents (when reusing): after this, what the batch must embed is
     * known ({@link #textsToEmbed}), so its embedding can start before the batch is applied. Valid as long as no
     * other write touches these documents before {@link #applyPrepared}.
     */
    public PreparedBatch prepare(List<PlannedChange> changes) {
        List<StoredEmbedding> stored = reuseVectors
                ? metrics.reuseLookupTime().record(() -> storedEmbeddings(changes))
                : List.of();
        return new PreparedBatch(changes, stored);
    }

    /** The texts the batch has to embed (chunks without a stored vector to reuse), each once, in batch order. */
    public List<String> textsToEmbed(PreparedBatch batch) {
        return embeddingPlan(batch).texts();
    }

    /**
     * Embeds texts of {@code batch} (from any thread), sliced by {@code maxEmbedTexts}; the time counts as the
     * ingest's embedding time. Failures carry the batch's document ids (see {@link #applyPrepared}).
     */
    public List<float[]> embed(List<String> texts, PreparedBatch batch) {
        return texts.isEmpty() ? List.of() : metrics.embedTime().record(() -> embedSliced(texts, batch.changes()));
    }

    /**
     * Applies a prepared batch: a text with a vector in {@code embeddedAhead} (computed by {@link #embed} before,
     * perhaps for a larger batch) takes it, any other is embedded now; then the store is written and the updates
     * made. Written and searchable on return, durable at the store's next flush.
     */
    public Applied applyPrepared(PreparedBatch batch, Map<String, float[]> embeddedAhead) {
        List<PlannedChange> changes = batch.changes();
        EmbeddingPlan embedding = embeddingPlan(batch);
        List<String> texts = embedding.texts();
        metrics.batch(changes.size(), texts.size(), embedding.reusedChunks());

        List<float[]> vectors = vectorsOf(texts, embeddedAhead, batch);
        metrics.storeTime().record(() -> write(changes, embedding, vectors));

        Instant applied = clock.instant();
        List<IndexUpdate> updates = new ArrayList<>(changes.size());
        for (PlannedChange plan : changes) {
            DocumentChange change = plan.change();
            metrics.applied(plan.chunks().size(), Duration.between(change.getEventTime(), applied));
            updates.add(IndexUpdate.newBuilder()
                    .setDocumentId(change.getDocumentId())
                    .setVersion(change.getVersion())
                    .setOperation(change.getOperation())
                    .setChunkCount(plan.chunks().size())
                    .setTenant(change.getTenant())
                    .setSourceTime(change.getEventTime())
                    .setAppliedTime(applied)
                    .setCollection(collection)
                    .build());
        }
        return new Applied(updates, texts.size(), embedding.reusedChunks());
    }

    private EmbeddingPlan embeddingPlan(PreparedBatch batch) {
        List<List<Chunk>> chunks = batch.changes().stream().map(PlannedChange::chunks).toList();
        return EmbeddingPlan.of(chunks, fingerprints, batch.stored(), reuseVectors);
    }

    /** One vector per text: those embedded ahead, and the others embedded now in one call. */
    private List<float[]> vectorsOf(List<String> texts, Map<String, float[]> embeddedAhead, PreparedBatch batch) {
        List<String> missing = texts.stream().filter(text -> !embeddedAhead.containsKey(text)).toList();
        if (missing.size() == texts.size()) {
            return embed(texts, batch);
        }
        Map<String, float[]> byText = new HashMap<>(embeddedAhead);
        List<float[]> fresh = embed(missing, batch);
        for (int i = 0; i < missing.size(); i++) {
            byText.put(missing.get(i), fresh.get(i));
        }
        return texts.stream().map(byText::get).toList();
    }

    /** What the store holds for the batch's upserted documents, in one read. */
    private List<StoredEmbedding> storedEmbeddings(List<PlannedChange> changes) {
        Set<String> upserted = new LinkedHashSet<>();
        for (PlannedChange change : changes) {
            if (!change.chunks().isEmpty()) {
                upserted.add(change.change().getDocumentId());
            }
        }
        if (upserted.isEmpty()) {
            return List.of();
        }
        try {
            return store.embeddingsOf(upserted);
        } catch (RuntimeException e) {
            throw new BatchFailedException("reading the stored vectors of " + upserted.size()
                    + " documents from the vector store failed", ids(changes), e);
        }
    }

    private List<float[]> embedSliced(List<String> texts, List<PlannedChange> plans) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += maxEmbedTexts) {
            List<String> slice = texts.subList(from, Math.min(texts.size(), from + maxEmbedTexts));
            List<float[]> embedded;
            try {
                embedded = embedder.embed(slice);
            } catch (RuntimeException e) {
                if (isOutage(e)) {
                    throw new BatchFailedException("embedding " + slice.size() + " chunks failed", ids(plans), e);
                }
                throw new UnembeddableBatchException("embedding " + slice.size() + " chunks failed: " + e,
                        ids(plans), e);
            }
            if (embedded.size() != slice.size()) {
                throw new BatchFailedException("the embedder returned " + embedded.size() + " vectors for "
                        + slice.size() + " texts", ids(plans), null);
            }
            vectors.addAll(embedded);
        }
        return vectors;
    }

    private void write(List<PlannedChange> plans, EmbeddingPlan embedding, List<float[]> vectors) {
        for (int i = 0; i < plans.size(); i++) {
            DocumentChange change = plans.get(i).change();
            try {
                if (change.getOperation() == Operation.DELETE) {
                    store.deleteDocument(change.getDocumentId());
                } else {
                    store.replaceDocument(change.getDocumentId(), stored(change, plans.get(i).chunks(), i,
                            embedding, vectors));
                }
            } catch (RuntimeException e) {
                throw new BatchFailedException("writing document " + change.getDocumentId() + " version "
                        + change.getVersion() + " to the vector store failed", ids(plans), e);
            }
        }
    }

    private static List<StoredChunk> stored(DocumentChange change, List<Chunk> chunks, int changeIndex,
                                            EmbeddingPlan embedding, List<float[]> vectors) {
        List<StoredChunk> stored = new ArrayList<>(chunks.size());
        for (int c = 0; c < chunks.size(); c++) {
            Chunk chunk = chunks.get(c);
            stored.add(new StoredChunk(chunk.chunkId(), change.getDocumentId(), chunk.index(), change.getVersion(),
                    change.getTitle(), chunk.text(), change.getTenant(), change.getMetadata(),
                    embedding.vector(changeIndex, c, vectors), embedding.fingerprint(changeIndex, c)));
        }
        return stored;
    }

    /** The model worker is full or closed, or a remote dependency failed: not the texts' fault. */
    private static boolean isOutage(RuntimeException e) {
        return e instanceof io.streamrag.inference.worker.QueueFullException
                || e instanceof io.streamrag.inference.worker.WorkerClosedException
                || io.streamrag.kafka.deadletter.FailureCause.isInfrastructure(e);
    }

    private static List<String> ids(List<PlannedChange> plans) {
        return plans.stream().map(plan -> plan.change().getDocumentId()).toList();
    }

    /** A batch applied: the updates to report, the chunks embedded and those that reused a vector. */
    public record Applied(List<IndexUpdate> updates, int chunksEmbedded, int chunksReused) {
    }

    /** A batch chunked and its stored vectors read: what is left to do is embedding and writing. */
    public record PreparedBatch(List<PlannedChange> changes, List<StoredEmbedding> stored) {

        public PreparedBatch {
            changes = List.copyOf(changes);
            stored = List.copyOf(stored);
        }

        /**
         * Some of its changes, with the same stored vectors: still valid, since a vector is reused only under the
         * fingerprint of the text it was computed from, whichever document it was read for.
         */
        public PreparedBatch restrictedTo(List<PlannedChange> kept) {
            return new PreparedBatch(kept, stored);
        }
    }

    /** A change and its chunks, before embedding. */
    public record PlannedChange(DocumentChange change, List<Chunk> chunks) {

        /** The embedding work: each chunk's passage tokens plus its title prefix and special tokens (about 2 + title/4); 1 for a delete. */
        public long tokens() {
            long tokens = 1;
            int titleTokens = change.getTitle() == null ? 0 : change.getTitle().length() / 4;
            for (Chunk chunk : chunks) {
                tokens += chunk.tokenCount() + 2L + titleTokens;
            }
            return tokens;
        }
    }
}
