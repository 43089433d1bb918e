package io.streamrag.eval;

import io.streamrag.app.cli.ConfigOptions;
import io.streamrag.app.ModelFactory;
import io.streamrag.app.config.AppConfig;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.Operation;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.IngestMetrics;
import io.streamrag.ingest.batch.BatchIndexer;
import io.streamrag.ingest.chunk.DocumentChunker;
import io.streamrag.inference.rerank.CrossEncoder;
import io.streamrag.qa.ComposedAnswer;
import io.streamrag.qa.rerank.RerankingStore;
import io.streamrag.qa.QuestionAnswerer;
import io.streamrag.qa.RetrievalContext;
import io.streamrag.qa.RetrievalWeights;
import io.streamrag.qa.extractive.ExtractiveComposer;
import io.streamrag.store.RetrievalMode;
import io.streamrag.store.RetrievalPlan;
import io.streamrag.store.SearchHit;
import io.streamrag.store.SearchRequest;
import io.streamrag.store.VectorStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code streamrag eval FILE.json}: how well retrieval finds the passage that answers a question, on the user's own
 * SQuAD-format data, with the configured embedder, store type, chunking and retrieval settings. Loads every paragraph
 * as a document into a scratch index (chunked, embedded and written by the ingest path's {@link BatchIndexer}), asks
 * every answerable question in each retrieval mode, and prints R@1, R@5, R@20 and MRR@10 side by side, with the rate
 * at which the extractive answer from the top {@code qa.top.k.default} passages contains a gold answer.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Retrieval quality on a SQuAD-format file: R@1, R@5, R@20, MRR@10 per retrieval mode, and the "
                + "extractive answers' contains-gold rate, measured in a scratch index of the configured store.")
public final class EvalCommand implements Callable<Integer> {

    private static final int DEPTH = 20;
    private static final String ROW = "%-14s %7.3f %7.3f %7.3f %8.3f %14s %10.1f%n";
    private static final int BATCH = 64;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Parameters(index = "0", paramLabel = "FILE.json", description = "SQuAD v1.1/v2.0 format file.")
    Path file;

    @Option(names = "--modes", split = ",", paramLabel = "MODE",
            description = "Retrieval modes to compare (default: dense,keyword,hybrid).")
    List<String> modes = List.of("dense", "keyword", "hybrid");

    @Option(names = "--no-answers", description = "Skip the extractive answers (retrieval metrics only).")
    boolean noAnswers;

    @Option(names = "--limit", paramLabel = "N", description = "Evaluate the first N answerable questions only.")
    Integer limit;

    @Option(names = "--sweep-rrf-k", split = ",", paramLabel = "K",
            description = "Also run hybrid with each of these RRF constants (retrieval metrics only).")
    List<Integer> sweepRrfK = List.of();

    @Option(names = "--sweep-keyword-weight", split = ",", paramLabel = "W",
            description = "Also run hybrid with each of these keyword-leg weights (crossed with --sweep-rrf-k).")
    List<Double> sweepKeywordWeight = List.of();

    @Override
    public Integer call() throws Exception {
        AppConfig app = config.load();
        PrintWriter out = spec.commandLine().getOut();
        List<RetrievalMode> retrievalModes = new ArrayList<>();
        for (String label : modes) {
            RetrievalMode mode = RetrievalMode.parse(label.strip());
            if (mode == null) {
                spec.commandLine().getErr().println("Unknown retrieval mode '" + label
                        + "': expected dense, keyword or hybrid");
                return 2;
            }
            retrievalModes.add(mode);
        }
        SquadDataset data = SquadDataset.read(file);
        List<SquadDataset.EvalQuestion> questions = limit == null ? data.questions()
                : data.questions().subList(0, Math.min(limit, data.questions().size()));
        try (TextEmbedder embedder = openEmbedder(app);
             ScratchIndex index = ScratchIndex.open(app, embedder.dimension())) {
            out.printf("%s: %d paragraphs, %d answerable questions; embedder %s; %s%n", file,
                    data.paragraphs().size(), questions.size(), embedder.modelName(), index.where());
            long started = System.nanoTime();
            int chunks = load(app, embedder, index.store(), data.paragraphs());
            out.printf("Indexed %d chunks in %.1f s%n", chunks, (System.nanoTime() - started) / 1e9);
            out.flush();

            List<float[]> vectors = embedQuestions(embedder, questions);
            ExtractiveComposer extractive = noAnswers ? null : new ExtractiveComposer(embedder);
            RetrievalPlan configured = app.qa().retrievalPlan();
            out.printf("RRF k=%d, keyword weight %.2f, leg depth %d dense / %d keyword, score threshold %.2f%n",
                    configured.rrfK(), configured.keywordWeight(), configured.denseCandidates(),
                    configured.keywordCandidates(), app.qa().scoreThreshold());
            out.printf("%-14s %7s %7s %7s %8s %14s %10s%n", "mode", "R@1", "R@5", "R@20", "MRR@10",
                    "contains-gold", "ms/query");
            for (RetrievalMode mode : retrievalModes) {
                ModeResult result = evaluate(app, index.store(), configured.withMode(mode), questions, vectors,
                        extractive);
                print(out, mode.label(), result);
            }
            if (app.models().reranker().isPresent()) {
                try (CrossEncoder reranker = new ModelFactory(app.models()).openReranker()) {
                    VectorStore reranking = new RerankingStore(index.store(), reranker::score,
                            app.models().rerankCandidates());
                    print(out, configured.mode().label() + "+rerank", evaluate(app, reranking, configured,
                            questions, vectors, extractive));
                }
            }
            sweep(app, index.store(), configured, questions, vectors, out);
        }
        return 0;
    }

    private static void print(PrintWriter out, String label, ModeResult result) {
        out.printf(ROW, label, result.scores().recallAt1(), result.scores().recallAt5(),
                result.scores().recallAt20(), result.scores().mrrAt10(),
                result.containsGold() < 0 ? "-" : String.format("%.3f", result.containsGold()),
                result.msPerQuery());
        out.flush();
    }

    /** Hybrid under other fusion settings on the same index: the numbers a user needs to choose them. */
    private void sweep(AppConfig app, VectorStore store, RetrievalPlan configured,
                       List<SquadDataset.EvalQuestion> questions, List<float[]> vectors, PrintWriter out) {
        if (sweepRrfK.isEmpty() && sweepKeywordWeight.isEmpty()) {
            return;
        }
        List<Integer> ks = sweepRrfK.isEmpty() ? List.of(configured.rrfK()) : sweepRrfK;
        List<Double> weights = sweepKeywordWeight.isEmpty() ? List.of(configured.keywordWeight()) : sweepKeywordWeight;
        out.printf("%nhybrid sweep%n%-6s %-7s %7s %7s %7s %8s%n", "rrf.k", "kw.w", "R@1", "R@5", "R@20", "MRR@10");
        for (int k : ks) {
            for (double weight : weights) {
                RetrievalPlan plan = new RetrievalPlan(RetrievalMode.HYBRID, configured.denseCandidates(),
                        configured.keywordCandidates(), k, configured.denseWeight(), weight);
                RetrievalScores scores = evaluate(app, store, plan, questions, vectors, null).scores();
                out.printf("%-6d %-7.2f %7.3f %7.3f %7.3f %8.3f%n", k, weight, scores.recallAt1(),
                        scores.recallAt5(), scores.recallAt20(), scores.mrrAt10());
                out.flush();
            }
        }
    }

    private static TextEmbedder openEmbedder(AppConfig app) throws IOException {
        return new ModelFactory(app.models()).openEmbedder();
    }

    /** Every paragraph through the ingest path's chunker, embedder and store writes. Returns the chunk count. */
    private static int load(AppConfig app, TextEmbedder embedder, VectorStore store,
                            List<SquadDataset.Paragraph> paragraphs) {
        DocumentChunker chunker = new DocumentChunker(embedder.tokenizer(), embedder.maxTokens(),
                app.ingest().chunking());
        BatchIndexer indexer = new BatchIndexer(chunker, embedder, store, 256,
                new IngestMetrics(new SimpleMeterRegistry()), Clock.systemUTC(), "eval");
        int chunks = 0;
        Instant now = Instant.now();
        for (int from = 0; from < paragraphs.size(); from += app.ingest().batching().maxDocuments()) {
            List<DocumentChange> batch = new ArrayList<>();
            for (SquadDataset.Paragraph paragraph
                    : paragraphs.subList(from, Math.min(paragraphs.size(), from + app.ingest().batching().maxDocuments()))) {
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

    private static List<float[]> embedQuestions(TextEmbedder embedder, List<SquadDataset.EvalQuestion> questions) {
        List<float[]> vectors = new ArrayList<>(questions.size());
        for (int from = 0; from < questions.size(); from += BATCH) {
            vectors.addAll(embedder.embed(questions.subList(from, Math.min(questions.size(), from + BATCH)).stream()
                    .map(SquadDataset.EvalQuestion::text).toList()));
        }
        return vectors;
    }

    private static ModeResult evaluate(AppConfig app, VectorStore store, RetrievalPlan plan,
                                       List<SquadDataset.EvalQuestion> questions, List<float[]> vectors,
                                       ExtractiveComposer extractive) {
        RetrievalScores scores = new RetrievalScores();
        int answerK = app.qa().defaultTopK();
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
                // as the QA role does: below the threshold the question gets NO_CONTEXT, i.e. no answer
                if (extractive != null && QuestionAnswerer.hasContext(top, app.qa().scoreThreshold())) {
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
        return new ModeResult(scores, goldRate, searchNanos / 1e6 / questions.size());
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

    private record ModeResult(RetrievalScores scores, double containsGold, double msPerQuery) {
    }
}
