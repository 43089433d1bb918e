package io.streamrag.ingest;

import io.streamrag.store.SearchHit;
import io.streamrag.store.SearchRequest;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.VectorStore;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a real store and fails one chosen write, like a store whose retries ran out in the middle of a batch: the
 * writes before it in the batch happened, the rest did not.
 */
final class FailingOnceStore implements VectorStore {

    private final VectorStore store;
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile int failAtWrite = -1;

    FailingOnceStore(VectorStore store) {
        this.store = store;
    }

    /** The {@code n}-th write from now (0 = the next) throws, once. */
    void failOnceAtWrite(int n) {
        failAtWrite = writes.get() + n;
    }

    int failures() {
        return failures.get();
    }

    private void maybeFail(String documentId) {
        if (writes.getAndIncrement() == failAtWrite) {
            failAtWrite = -1;
            failures.incrementAndGet();
            throw new IllegalStateException("injected store failure writing " + documentId + " mid-batch");
        }
    }

    @Override
    public void ensureCollection(int dimension) {
        store.ensureCollection(dimension);
    }

    @Override
    public void replaceDocument(String documentId, List<StoredChunk> chunks) {
        maybeFail(documentId);
        store.replaceDocument(documentId, chunks);
    }

    @Override
    public void deleteDocument(String documentId) {
        maybeFail(documentId);
        store.deleteDocument(documentId);
    }

    @Override
    public void flush() {
        store.flush();
    }

    @Override
    public List<List<SearchHit>> search(List<SearchRequest> requests) {
        return store.search(requests);
    }

    @Override
    public List<StoredChunk> chunksOf(String documentId) {
        return store.chunksOf(documentId);
    }

    @Override
    public List<io.streamrag.store.StoredEmbedding> embeddingsOf(java.util.Collection<String> documentIds) {
        return store.embeddingsOf(documentIds);
    }

    @Override
    public long count() {
        return store.count();
    }

    @Override
    public boolean isReachable() {
        return store.isReachable();
    }

    @Override
    public void close() {
        store.close();
    }
}
