package io.streamrag.eval;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.Operation;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.IngestMetrics;
import io.streamrag.ingest.batch.BatchIndexer;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.ingest.chunk.DocumentChunker;
import io.streamrag.qa.ComposedAnswer;
import io.streamrag.qa.QuestionAnswerer;
import io.streamrag.qa.RetrievalContext;
import io.streamrag.qa.RetrievalWeights;
import io.streamrag.qa.extractive.ExtractiveComposer;
import io.streamrag.store.RetrievalPlan;
import io.streamrag.store.SearchHit;
import io.streamrag.store.SearchRequest;
import io.streamrag.store.VectorStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The evaluation harness behind {@code streamrag eval}: indexes a SQuAD file's paragraphs through the ingest path's
 * chunker, embedder and store writes, embeds its questions once, and scores any retrieval plan on that index
 * (recall and MRR over distinct documents, and optionally the extractive answers' contains-gold rate).
 */
public final class RetrievalEvaluation {

    /** Distinct documents ranked per question: R@20 is the deepest metric. */
    private static final int DEPTH = 20;
    private static final int BATCH = 64;

    /** One plan's scores; {@code containsGold} is -1 when answers were not composed. */
    public record Result(RetrievalScores scores, double containsGold, double msPerQuery) {
    }

    private final TextEmbedder embedder;
    private final List<SquadDataset.EvalQuestion> questions;
    private final List<float[]> vectors;

    /** Embeds the questions once: every plan is then scored on the same vectors. */
    public RetrievalEvaluation(TextEmbedder embedder, List<SquadDataset.EvalQuestion> questions) {
        this.embedder = embedder;
        this.questions = List.copyOf(questions);
        this.vectors = embedQuestions(embedder, this.questions);
    }

    /**
     * Writes every paragraph as a document (version 1) into {@code store}, in batches of {@code batchSize}, with the
     * ingest path's chunking. Returns the number of chunks written.
     */
    public int index(VectorStore store, List<SquadDataset.Paragraph> paragraphs, ChunkingSettings chunking,
                     int batchSize) {
        DocumentChunker chunker = new DocumentChunker(embedder.tokenizer(), embedder.maxTokens(), chunking);
        BatchIndexer indexer = new BatchIndexer(chunker, embedder, store, 256,
                new IngestMetrics(new SimpleMeterRegistry()), Clock.systemUTC(), "eval");
        int chunks = 0;
        Instant now = Instant.now();
        for (int from = 0; from < paragraphs.size(); from += batchSize) {
            List<DocumentChange> batch = new ArrayList<>();
            for (SquadDataset.Paragraph paragraph
                    : paragraphs.subList(from, Math.min(paragraphs.size(), from + batchSize))) {
                batch.add(DocumentChange.newBuilder()
                        .setOperation(Operation.CREATE)
                        .setDocumentId(paragraph.documentId())
                        .setVersion(1)
                        .setTitle(paragraph.title())
                        .setBody(paragraph.context())
                        .setMetadata(Map.of())
                        .setTenant(null)
                        .setEventTime(now)
                        .build());
            }
            chunks += indexer.apply(batch).stream().mapToInt(update -> update.getChunkCount()).sum();
        }
        return chunks;
    }

    /**
     * Scores {@code plan} on {@code store}. With an {@code extractive} composer, also answers each question from its
     * top {@code answerK} hits, as the QA role does (no answer when the best hit is below {@code scoreThreshold}).
     */
    public Result evaluate(VectorStore store, RetrievalPlan plan, ExtractiveComposer extractive, int answerK,
                           double scoreThreshold) {
        RetrievalScores scores = new RetrievalScores();
        int containsGold = 0;
        long searchNanos = 0;
        for (int from = 0; from < questions.size(); from += BATCH) {
            int to = Math.min(questions.size(), from + BATCH);
            List<SearchRequest> requests = new ArrayList<>(to - from);
            for (int q = from; q < to; q++) {
                // twice the depth in chunks, so that DEPTH distinct documents remain when a paragraph has two chunks
                requests.add(new SearchRequest(vectors.get(q), questions.get(q).text(), 2 * DEPTH, null, Map.of(),
                        QuestionAnswerer.NO_MINIMUM, plan));
            }
            long started = System.nanoTime();
            List<List<SearchHit>> results = store.search(requests);
            searchNanos += System.nanoTime() - started;
            List<RetrievalContext> contexts = new ArrayList<>();
            List<SquadDataset.EvalQuestion> answered = new ArrayList<>();
            for (int q = from; q < to; q++) {
                List<SearchHit> hits = results.get(q - from);
                scores.add(distinctDocuments(hits), questions.get(q).documentId());
                List<SearchHit> top = hits.subList(0, Math.min(answerK, hits.size()));
                if (extractive != null && QuestionAnswerer.hasContext(top, scoreThreshold)) {
                    contexts.add(new RetrievalContext(questions.get(q).text(), vectors.get(q), top,
                            RetrievalWeights.of(top, 1.0)));
                    answered.add(questions.get(q));
                }
            }
            if (extractive != null && !contexts.isEmpty()) {
                List<ComposedAnswer> answers = extractive.compose(contexts);
                for (int a = 0; a < answers.size(); a++) {
                    containsGold += AnswerMatch.containsGold(answers.get(a).text(), answered.get(a).answers()) ? 1 : 0;
                }
            }
        }
        double goldRate = extractive == null ? -1 : (double) containsGold / questions.size();
        return new Result(scores, goldRate, searchNanos / 1e6 / questions.size());
    }

    private static List<float[]> embedQuestions(TextEmbedder embedder, List<SquadDataset.EvalQuestion> questions) {
        List<float[]> vectors = new ArrayList<>(questions.size());
        for (int from = 0; from < questions.size(); from += BATCH) {
            vectors.addAll(embedder.embed(questions.subList(from, Math.min(questions.size(), from + BATCH)).stream()
                    .map(SquadDataset.EvalQuestion::text).toList()));
        }
        return vectors;
    }

    private static List<String> distinctDocuments(List<SearchHit> hits) {
        Set<String> documents = new LinkedHashSet<>();
        for (SearchHit hit : hits) {
            documents.add(hit.chunk().documentId());
            if (documents.size() == DEPTH) {
                break;
            }
        }
        return List.copyOf(documents);
    }
}
