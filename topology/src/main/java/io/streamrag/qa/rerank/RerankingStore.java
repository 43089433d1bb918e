package io.streamrag.qa.rerank;

import io.streamrag.store.SearchHit;
import io.streamrag.store.SearchRequest;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.VectorStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The QA role's view of the store when a reranker is configured: each search fetches the top {@code candidates}
 * passages (at least the request's top-k) the configured way (hybrid, dense or keyword), scores them against the
 * question with the cross-encoder in one batch, and keeps the request's top-k by that score. A hit keeps its cosine as
 * {@link SearchHit#score()} (so p(d|x) and the threshold keep their meaning) and carries the reranker's score as its
 * rank score. Writes pass straight through; closing it leaves the wrapped store open (the role resources own it).
 */
public final class RerankingStore implements VectorStore {

    private final VectorStore store;
    private final PassageScorer scorer;
    private final int candidates;

    public RerankingStore(VectorStore store, PassageScorer scorer, int candidates) {
        if (candidates < 1) {
            throw new IllegalArgumentException("rerank candidates must be >= 1, was " + candidates);
        }
        this.store = store;
        this.scorer = scorer;
        this.candidates = candidates;
    }

    @Override
    public List<List<SearchHit>> search(List<SearchRequest> requests) {
        List<SearchRequest> wider = new ArrayList<>(requests.size());
        for (SearchRequest request : requests) {
            wider.add(request.text() == null ? request
                    : new SearchRequest(request.vector(), request.text(), Math.max(request.topK(), candidates),
                            request.tenant(), request.filters(), request.scoreThreshold(), request.plan()));
        }
        List<List<SearchHit>> found = store.search(wider);
        List<List<SearchHit>> results = new ArrayList<>(found.size());
        for (int i = 0; i < found.size(); i++) {
            SearchRequest request = requests.get(i);
            results.add(request.text() == null ? found.get(i) : rerank(request, found.get(i)));
        }
        return results;
    }

    private List<SearchHit> rerank(SearchRequest request, List<SearchHit> hits) {
        if (hits.isEmpty()) {
            return hits;
        }
        List<String> passages = new ArrayList<>(hits.size());
        for (SearchHit hit : hits) {
            StoredChunk chunk = hit.chunk();
            passages.add(chunk.title() == null ? chunk.text() : chunk.title() + ". " + chunk.text());
        }
        double[] scores = scorer.score(request.text(), passages);
        if (scores.length != hits.size()) {
            throw new IllegalStateException("the reranker scored " + scores.length + " of " + hits.size()
                    + " passages");
        }
        List<SearchHit> reranked = new ArrayList<>(hits.size());
        for (int i = 0; i < hits.size(); i++) {
            reranked.add(new SearchHit(hits.get(i).chunk(), hits.get(i).score(), scores[i]));
        }
        // stable: equal scores keep the retrieval order
        reranked.sort(Comparator.comparingDouble(SearchHit::rankScore).reversed());
        return List.copyOf(reranked.subList(0, Math.min(request.topK(), reranked.size())));
    }

    @Override
    public void ensureCollection(int dimension) {
        store.ensureCollection(dimension);
    }

    @Override
    public void replaceDocument(String documentId, List<StoredChunk> chunks) {
        store.replaceDocument(documentId, chunks);
    }

    @Override
    public void deleteDocument(String documentId) {
        store.deleteDocument(documentId);
    }

    @Override
    public void flush() {
        store.flush();
    }

    @Override
    public List<StoredChunk> chunksOf(String documentId) {
        return store.chunksOf(documentId);
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
    }
}
