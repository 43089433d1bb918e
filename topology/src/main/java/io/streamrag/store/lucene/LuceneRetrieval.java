package io.streamrag.store.lucene;

import io.streamrag.store.KeywordText;
import io.streamrag.store.RankFusion;
import io.streamrag.store.RetrievalPlan;
import io.streamrag.store.SearchHit;
import io.streamrag.store.SearchRequest;
import io.streamrag.store.StoredChunk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

/**
 * One search against one searcher: the dense leg (HNSW), the keyword leg (BM25 over title and passage), each with
 * the request's tenant and metadata filters inside its query, fused by {@link RankFusion}; then every candidate gets
 * its exact cosine from the stored vector, so the score threshold means the same whichever leg found the passage.
 */
final class LuceneRetrieval {

    private final IndexSearcher searcher;
    private final int searchCandidates;
    private final VectorSimilarityFunction similarity;

    LuceneRetrieval(IndexSearcher searcher, int searchCandidates, VectorSimilarityFunction similarity) {
        this.searcher = searcher;
        this.searchCandidates = searchCandidates;
        this.similarity = similarity;
    }

    List<SearchHit> search(SearchRequest request) throws IOException {
        RetrievalPlan plan = request.plan();
        Query filter = requestFilter(request);
        List<List<Integer>> legs = new ArrayList<>(2);
        List<Double> weights = new ArrayList<>(2);
        Map<Integer, Double> legScores = new HashMap<>();
        if (plan.mode().usesDense()) {
            int depth = plan.denseDepth(request.topK());
            // Lucene's HNSW beam is the query's k: never search with a beam narrower than searchCandidates
            Query dense = new KnnFloatVectorQuery(ChunkDocuments.VECTOR,
                    ChunkDocuments.graphVector(request.vector(), similarity),
                    Math.max(depth, searchCandidates), filter);
            legs.add(ranked(searcher.search(dense, depth), plan.mode().usesKeywords() ? null : legScores));
            weights.add(plan.denseWeight());
        }
        if (plan.mode().usesKeywords()) {
            Query keywords = keywordQuery(request.text(), filter);
            List<Integer> ranked = keywords == null ? List.of()
                    : ranked(searcher.search(keywords, plan.keywordDepth(request.topK())),
                            plan.mode().usesDense() ? null : legScores);
            legs.add(ranked);
            weights.add(plan.keywordWeight());
        }
        List<RankFusion.Fused<Integer>> fused = legs.size() == 1
                ? single(legs.get(0), legScores)
                : RankFusion.fuse(legs, weights.stream().mapToDouble(Double::doubleValue).toArray(), plan.rrfK());
        return hits(request, fused);
    }

    /**
     * The filter every leg runs under, or null when nothing needs filtering: no metadata filter, and a request
     * without a tenant on an index that holds no tenant's passage (then every passage matches anyway, and a query
     * without a filter skips the per-segment filter bitsets).
     */
    private Query requestFilter(SearchRequest request) throws IOException {
        BooleanQuery.Builder filter = new BooleanQuery.Builder();
        boolean any = false;
        if (request.tenant() != null) {
            filter.add(new TermQuery(new Term(ChunkDocuments.TENANT, request.tenant())), BooleanClause.Occur.FILTER);
            any = true;
        } else if (MultiTerms.getTerms(searcher.getIndexReader(), ChunkDocuments.TENANT) != null) {
            filter.add(new TermQuery(new Term(ChunkDocuments.UNTENANTED, ChunkDocuments.UNTENANTED_MARK)),
                    BooleanClause.Occur.FILTER);
            any = true;
        }
        for (Map.Entry<String, String> entry : request.filters().entrySet()) {
            filter.add(new TermQuery(new Term(ChunkDocuments.METADATA_PREFIX + entry.getKey(), entry.getValue())),
                    BooleanClause.Occur.FILTER);
            any = true;
        }
        return any ? filter.build() : null;
    }

    /** BM25 over the question's analysed terms (any may match; repeats weigh more), or null without terms. */
    static Query keywordQuery(String text, Query filter) {
        List<String> terms = KeywordText.terms(text);
        if (terms.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        int clauses = 0;
        for (String term : terms) {
            if (clauses++ >= IndexSearcher.getMaxClauseCount() - 1) {
                break; // a question of over a thousand terms: the rest add nothing a reader would notice
            }
            query.add(new TermQuery(new Term(ChunkDocuments.KEYWORDS, term)), BooleanClause.Occur.SHOULD);
        }
        query.setMinimumNumberShouldMatch(1);
        if (filter != null) {
            query.add(filter, BooleanClause.Occur.FILTER);
        }
        return query.build();
    }

    private static List<Integer> ranked(TopDocs top, Map<Integer, Double> scores) {
        List<Integer> docs = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc hit : top.scoreDocs) {
            docs.add(hit.doc);
            if (scores != null) {
                scores.put(hit.doc, (double) hit.score);
            }
        }
        return docs;
    }

    private static List<RankFusion.Fused<Integer>> single(List<Integer> docs, Map<Integer, Double> scores) {
        List<RankFusion.Fused<Integer>> ordered = new ArrayList<>(docs.size());
        for (Integer doc : docs) {
            ordered.add(new RankFusion.Fused<>(doc, scores.get(doc)));
        }
        return ordered;
    }

    /** The first top-k candidates, in fused order, whose cosine reaches the threshold. */
    private List<SearchHit> hits(SearchRequest request, List<RankFusion.Fused<Integer>> candidates)
            throws IOException {
        StoredFields fields = searcher.storedFields();
        float[] query = request.vector();
        double queryNorm = norm(query);
        // Cosine is never below -1: a threshold at or below it means "no threshold" (float rounding could otherwise
        // drop an exactly opposite vector).
        boolean thresholded = request.scoreThreshold() > -1.0;
        List<SearchHit> hits = new ArrayList<>(request.topK());
        for (RankFusion.Fused<Integer> candidate : candidates) {
            if (hits.size() == request.topK()) {
                break;
            }
            Document doc = fields.document(candidate.key());
            float[] vector = ChunkDocuments.decode(doc.getBinaryValue(ChunkDocuments.VECTOR_BYTES));
            double cosine = cosine(query, queryNorm, vector);
            if (thresholded && cosine < request.scoreThreshold()) {
                continue;
            }
            StoredChunk chunk = ChunkDocuments.fromDocument(doc, false);
            double rankScore = request.mode().usesKeywords() ? candidate.score() : cosine;
            hits.add(new SearchHit(chunk, cosine, rankScore));
        }
        return hits;
    }

    private static double cosine(float[] query, double queryNorm, float[] stored) {
        double dot = 0;
        for (int i = 0; i < query.length; i++) {
            dot += (double) query[i] * stored[i];
        }
        double norms = queryNorm * norm(stored);
        return norms == 0 ? 0 : dot / norms;
    }

    private static double norm(float[] vector) {
        double sum = 0;
        for (float component : vector) {
            sum += (double) component * component;
        }
        return Math.sqrt(sum);
    }
}
