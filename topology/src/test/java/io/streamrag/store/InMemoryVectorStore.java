package io.streamrag.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double of the vector store port that follows its contract as the real adapters do: upsert by chunk id,
 * surplus chunks removed, exact cosine over all chunks, tenant and metadata filters applied before ranking, hits kept
 * when score >= threshold, best first. It counts search calls (to check batching) and flushes, and can be told to fail
 * a write, like a store whose retries ran out.
 */
public final class InMemoryVectorStore implements VectorStore {

    private final Map<String, StoredChunk> chunks = new TreeMap<>();
    private final List<List<SearchRequest>> searchCalls = new ArrayList<>();
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicInteger flushes = new AtomicInteger();
    private final AtomicInteger embeddingReads = new AtomicInteger();
    private volatile int failAtWrite = -1;
    private volatile Runnable flushProbe = () -> { };
    private volatile java.util.function.Consumer<String> writeProbe = documentId -> { };

    /** The {@code n}-th write from now (0 = the next one) throws once, after which writes succeed again. */
    public void failOnceAtWrite(int n) {
        failAtWrite = writes.get() + n;
    }

    public int flushes() {
        return flushes.get();
    }

    /** Calls of {@link #embeddingsOf} so far. */
    public int embeddingReads() {
        return embeddingReads.get();
    }

    @Override
    public synchronized List<StoredEmbedding> embeddingsOf(java.util.Collection<String> documentIds) {
        embeddingReads.incrementAndGet();
        return VectorStore.super.embeddingsOf(documentIds);
    }

    /** Runs {@code probe} at every flush, before counting it; a probe that throws makes the flush fail. */
    public void onFlush(Runnable probe) {
        flushProbe = probe;
    }

    /** Runs {@code probe} with the document id before every write, outside the store's lock; it may block or throw. */
    public void onWrite(java.util.function.Consumer<String> probe) {
        writeProbe = probe;
    }

    public synchronized List<List<SearchRequest>> searchCalls() {
        return List.copyOf(searchCalls);
    }

    @Override
    public void ensureCollection(int dimension) {
    }

    @Override
    public void replaceDocument(String documentId, List<StoredChunk> replacement) {
        writeProbe.accept(documentId);
        replace(documentId, replacement);
    }

    private synchronized void replace(String documentId, List<StoredChunk> replacement) {
        maybeFail(documentId);
        for (StoredChunk chunk : replacement) {
            chunks.put(chunk.chunkId(), chunk);
        }
        chunks.values().removeIf(c -> c.documentId().equals(documentId) && c.chunkIndex() >= replacement.size());
    }

    @Override
    public void deleteDocument(String documentId) {
        writeProbe.accept(documentId);
        delete(documentId);
    }

    private synchronized void delete(String documentId) {
        maybeFail(documentId);
        chunks.values().removeIf(c -> c.documentId().equals(documentId));
    }

    private void maybeFail(String documentId) {
        if (writes.getAndIncrement() == failAtWrite) {
            failAtWrite = -1;
            throw new IllegalStateException("injected store failure writing " + documentId);
        }
    }

    @Override
    public void flush() {
        flushProbe.run();
        flushes.incrementAndGet();
    }

    @Override
    public synchronized List<List<SearchHit>> search(List<SearchRequest> requests) {
        searchCalls.add(List.copyOf(requests));
        List<List<SearchHit>> results = new ArrayList<>(requests.size());
        for (SearchRequest request : requests) {
            results.add(chunks.values().stream()
                    .filter(chunk -> Objects.equals(chunk.tenant(), request.tenant()))
                    .filter(chunk -> request.filters().entrySet().stream()
                            .allMatch(f -> f.getValue().equals(chunk.metadata().get(f.getKey()))))
                    .map(chunk -> new SearchHit(chunk, cosine(request.vector(), chunk.vector())))
                    .filter(hit -> hit.score() >= request.scoreThreshold())
                    .sorted(Comparator.comparingDouble(SearchHit::score).reversed()
                            .thenComparing(hit -> hit.chunk().chunkId()))
                    .limit(request.topK())
                    .toList());
        }
        return results;
    }

    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    @Override
    public synchronized List<StoredChunk> chunksOf(String documentId) {
        return chunks.values().stream().filter(c -> c.documentId().equals(documentId))
                .sorted(Comparator.comparingInt(StoredChunk::chunkIndex)).toList();
    }

    /** Every stored chunk, ordered by document id and chunk index. */
    public synchronized List<StoredChunk> all() {
        return chunks.values().stream().sorted(Comparator.comparing(StoredChunk::documentId)
                .thenComparingInt(StoredChunk::chunkIndex)).toList();
    }

    @Override
    public synchronized long count() {
        return chunks.size();
    }

    @Override
    public boolean isReachable() {
        return true;
    }

    @Override
    public void close() {
    }
}
