package io.streamrag.qa.testing;

import io.streamrag.store.SearchHit;
import io.streamrag.store.SearchRequest;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.VectorStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A test double with the port's semantics done honestly: exact cosine over all chunks, tenant and metadata filters
 * applied before ranking, the score threshold exclusive, best first. Counts search calls to check batching.
 */
public final class InMemoryVectorStore implements VectorStore {

    private final Map<String, StoredChunk> chunks = new LinkedHashMap<>();
    private final List<List<SearchRequest>> searchCalls = new ArrayList<>();

    @Override
    public void ensureCollection(int dimension) {
    }

    @Override
    public synchronized void replaceDocument(String documentId, List<StoredChunk> newChunks) {
        deleteDocument(documentId);
        for (StoredChunk chunk : newChunks) {
            chunks.put(chunk.chunkId(), chunk);
        }
    }

    @Override
    public synchronized void deleteDocument(String documentId) {
        chunks.values().removeIf(chunk -> chunk.documentId().equals(documentId));
    }

    @Override
    public void flush() {
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
                    .filter(hit -> hit.score() > request.scoreThreshold())
                    .sorted(Comparator.comparingDouble(SearchHit::score).reversed()
                            .thenComparing(hit -> hit.chunk().chunkId()))
                    .limit(request.topK())
                    .toList());
        }
        return results;
    }

    public synchronized List<List<SearchRequest>> searchCalls() {
        return List.copyOf(searchCalls);
    }

    @Override
    public synchronized List<StoredChunk> chunksOf(String documentId) {
        return chunks.values().stream().filter(c -> c.documentId().equals(documentId))
                .sorted(Comparator.comparingInt(StoredChunk::chunkIndex)).toList();
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

    static double cosine(float[] a, float[] b) {
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
}
