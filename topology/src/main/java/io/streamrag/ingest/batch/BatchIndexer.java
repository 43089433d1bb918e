package io.streamrag.ingest.batch;

import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.contracts.Operation;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.IngestMetrics;
import io.streamrag.ingest.chunk.Chunk;
import io.streamrag.ingest.chunk.DocumentChunker;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.VectorStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies one batch of document changes to the vector store: chunks every upserted document, embeds all their chunks
 * in one {@link TextEmbedder#embed} call (sliced only by {@code maxEmbedTexts}) and replaces or deletes each document;
 * {@link #apply} also flushes the store (makes the batch durable), while the ingest topology, which uses
 * {@link #applyPlanned}, leaves that to {@link StoreCommitHook}, once per Kafka commit. Returns one
 * {@link IndexUpdate} per change; the batch is searchable when it returns. Writes are idempotent (deterministic chunk
 * ids, surplus chunks removed), so applying a batch again after a crash leaves the store as one application did. Failures
 * of the embedder or the store propagate with the batch's document ids; nothing is half-reported.
 */
public final class BatchIndexer {

    private final DocumentChunker chunker;
    private final TextEmbedder embedder;
    private final VectorStore store;
    private final int maxEmbedTexts;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final String collection;

    public BatchIndexer(DocumentChunker chunker, TextEmbedder embedder, VectorStore store, int maxEmbedTexts,
                        IngestMetrics metrics, Clock clock, String collection) {
        this.chunker = chunker;
        this.embedder = embedder;
        this.store = store;
        this.maxEmbedTexts = maxEmbedTexts;
        this.metrics = metrics;
        this.clock = clock;
        this.collection = collection;
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
        List<Planned> plans = new ArrayList<>(changes.size());
        List<String> texts = new ArrayList<>();
        for (PlannedChange change : changes) {
            plans.add(new Planned(change.change(), change.chunks(), texts.size()));
            change.chunks().forEach(chunk -> texts.add(chunk.embeddingText()));
        }
        metrics.batch(changes.size(), texts.size());

        List<float[]> vectors = metrics.embedTime().record(() -> embed(texts, plans));
        metrics.storeTime().record(() -> write(plans, vectors));

        Instant applied = clock.instant();
        List<IndexUpdate> updates = new ArrayList<>(plans.size());
        for (Planned plan : plans) {
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
        return updates;
    }

    private List<float[]> embed(List<String> texts, List<Planned> plans) {
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

    private void write(List<Planned> plans, List<float[]> vectors) {
        for (Planned plan : plans) {
            DocumentChange change = plan.change();
            try {
                if (change.getOperation() == Operation.DELETE) {
                    store.deleteDocument(change.getDocumentId());
                } else {
                    store.replaceDocument(change.getDocumentId(), stored(change, plan, vectors));
                }
            } catch (RuntimeException e) {
                throw new BatchFailedException("writing document " + change.getDocumentId() + " version "
                        + change.getVersion() + " to the vector store failed", ids(plans), e);
            }
        }
    }

    private static List<StoredChunk> stored(DocumentChange change, Planned plan, List<float[]> vectors) {
        List<StoredChunk> chunks = new ArrayList<>(plan.chunks().size());
        for (Chunk chunk : plan.chunks()) {
            chunks.add(new StoredChunk(chunk.chunkId(), change.getDocumentId(), chunk.index(), change.getVersion(),
                    change.getTitle(), chunk.text(), change.getTenant(), change.getMetadata(),
                    vectors.get(plan.firstText() + chunk.index())));
        }
        return chunks;
    }

    /** The model worker is full or closed, or a remote dependency failed: not the texts' fault. */
    private static boolean isOutage(RuntimeException e) {
        return e instanceof io.streamrag.inference.worker.QueueFullException
                || e instanceof io.streamrag.inference.worker.WorkerClosedException
                || io.streamrag.kafka.deadletter.FailureCause.isInfrastructure(e);
    }

    private static List<String> ids(List<Planned> plans) {
        return plans.stream().map(plan -> plan.change().getDocumentId()).toList();
    }

    private record Planned(DocumentChange change, List<Chunk> chunks, int firstText) {
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
