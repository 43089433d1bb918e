package io.streamrag.observability;

import io.streamrag.store.SearchHit;
import io.streamrag.store.SearchRequest;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.VectorStore;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A vector store that only answers whether it is reachable: all the health checks ask of the port. */
final class ReachabilityStore implements VectorStore {

    private final BooleanSupplier reachable;

    ReachabilityStore(BooleanSupplier reachable) {
        this.reachable = reachable;
    }

    @Override
    public boolean isReachable() {
        return reachable.getAsBoolean();
    }

    @Override
    public void ensureCollection(int dimension) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void replaceDocument(String documentId, List<StoredChunk> chunks) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void deleteDocument(String documentId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void flush() {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<List<SearchHit>> search(List<SearchRequest> requests) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<StoredChunk> chunksOf(String documentId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long count() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
}
