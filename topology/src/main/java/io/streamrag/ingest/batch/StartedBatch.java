package io.streamrag.ingest.batch;

import io.streamrag.contracts.DocumentChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;

/**
 * A batch of pending changes whose embedding has started: the changes as they were chunked and planned, and the
 * future of their vectors. It is a cache, nothing more: the changes stay in the pending store until the batch is
 * applied on the stream thread, so a batch dropped (task closed, thread died) loses no work that matters, and a
 * change that moved on in the meantime is simply left out of it ({@link #stillPending}).
 */
final class StartedBatch {

    private final List<KeyValue<String, DocumentChange>> entries;
    private final List<BatchIndexer.PlannedChange> plans;
    private final BatchIndexer.PreparedBatch prepared;
    private final long tokens;
    private final long prepareNanos;
    private final CompletableFuture<EmbeddedTexts> embedded;

    private StartedBatch(List<KeyValue<String, DocumentChange>> entries, List<BatchIndexer.PlannedChange> plans,
                         BatchIndexer.PreparedBatch prepared, long tokens, long prepareNanos,
                         CompletableFuture<EmbeddedTexts> embedded) {
        this.entries = List.copyOf(entries);
        this.plans = List.copyOf(plans);
        this.prepared = prepared;
        this.tokens = tokens;
        this.prepareNanos = prepareNanos;
        this.embedded = embedded;
    }

    /**
     * Reads the stored vectors of the batch's documents (on the calling thread: the stream thread, which alone writes
     * these documents) and starts embedding what cannot be reused in {@code lane}.
     */
    static StartedBatch start(BatchIndexer indexer, EmbeddingLane lane, List<KeyValue<String, DocumentChange>> entries,
                              List<BatchIndexer.PlannedChange> plans, long tokens) {
        long started = System.nanoTime();
        BatchIndexer.PreparedBatch prepared = indexer.prepare(plans);
        List<String> texts = indexer.textsToEmbed(prepared);
        long prepareNanos = System.nanoTime() - started;
        CompletableFuture<EmbeddedTexts> embedded = lane.submit(() -> {
            long from = System.nanoTime();
            List<float[]> vectors = indexer.embed(texts, prepared);
            return new EmbeddedTexts(texts, vectors, System.nanoTime() - from);
        });
        return new StartedBatch(entries, plans, prepared, tokens, prepareNanos, embedded);
    }

    /** Its vectors are there (or its embedding failed): applying it will not wait. */
    boolean ready() {
        return embedded.isDone();
    }

    int size() {
        return entries.size();
    }

    List<KeyValue<String, DocumentChange>> entries() {
        return entries;
    }

    List<BatchIndexer.PlannedChange> plans() {
        return plans;
    }

    BatchIndexer.PreparedBatch prepared() {
        return prepared;
    }

    long tokens() {
        return tokens;
    }

    Set<String> documentIds() {
        Set<String> ids = new LinkedHashSet<>();
        entries.forEach(entry -> ids.add(entry.key));
        return ids;
    }

    String lastDocumentId() {
        return entries.get(entries.size() - 1).key;
    }

    /**
     * The part of this batch whose changes are still pending exactly as planned (a newer version of a document
     * replaces its change in the pending store; its older plan is then left out, and the newer change waits for a
     * later batch); null when none is. Shares the vectors' future: what was embedded for the others is still right.
     */
    StartedBatch stillPending(Function<String, DocumentChange> pendingNow) {
        List<KeyValue<String, DocumentChange>> keptEntries = new ArrayList<>(entries.size());
        List<BatchIndexer.PlannedChange> keptPlans = new ArrayList<>(entries.size());
        long keptTokens = 0;
        for (int i = 0; i < entries.size(); i++) {
            if (Objects.equals(pendingNow.apply(entries.get(i).key), entries.get(i).value)) {
                keptEntries.add(entries.get(i));
                keptPlans.add(plans.get(i));
                keptTokens += plans.get(i).tokens();
            }
        }
        if (keptEntries.size() == entries.size()) {
            return this;
        }
        if (keptEntries.isEmpty()) {
            abandon();
            return null;
        }
        return new StartedBatch(keptEntries, keptPlans, prepared.restrictedTo(keptPlans), keptTokens, prepareNanos,
                embedded);
    }

    /**
     * Waits for the vectors, by text. Throws what the embedding threw ({@code BatchFailedException} for an outage,
     * {@code UnembeddableBatchException} for texts the model refuses).
     */
    EmbeddedTexts awaitVectors() {
        try {
            return embedded.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        } catch (CancellationException e) {
            throw new IllegalStateException("the embedding of a batch that is being applied was cancelled", e);
        }
    }

    /** Time spent on the stream thread to start it (reading stored vectors). */
    long prepareNanos() {
        return prepareNanos;
    }

    /** Not going to be applied: an embedding that has not started yet will not. */
    void abandon() {
        embedded.cancel(false);
    }

    /** Vectors computed for a batch's texts, and the model time they took. */
    record EmbeddedTexts(List<String> texts, List<float[]> vectors, long nanos) {

        Map<String, float[]> byText() {
            Map<String, float[]> byText = new HashMap<>(texts.size() * 2);
            for (int i = 0; i < texts.size(); i++) {
                byText.put(texts.get(i), vectors.get(i));
            }
            return byText;
        }
    }
}
