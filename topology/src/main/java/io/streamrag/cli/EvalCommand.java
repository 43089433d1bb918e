package io.streamrag.cli;

import io.streamrag.app.ModelFactory;
import io.streamrag.app.config.AppConfig;
import io.streamrag.eval.RetrievalEvaluation;
import io.streamrag.eval.RetrievalScores;
import io.streamrag.eval.ScratchIndex;
import io.streamrag.eval.SquadDataset;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.inference.rerank.CrossEncoder;
import io.streamrag.qa.rerank.RerankingStore;
import io.streamrag.qa.extractive.ExtractiveComposer;
import io.streamrag.store.RetrievalMode;
import io.streamrag.store.RetrievalPlan;
import io.streamrag.store.VectorStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * as a document into a scratch index (chunked, embedded and written by the ingest path), asks every answerable
 * question in each retrieval mode, and prints R@1, R@5, R@20 and MRR@10 side by side, with the rate at which the
 * extractive answer from the top {@code qa.top.k.default} passages contains a gold answer. The harness itself is
 * {@link RetrievalEvaluation}; this class reads the options and prints the table.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Retrieval quality on a SQuAD-format file: R@1, R@5, R@20, MRR@10 per retrieval mode, and the "
                + "extractive answers' contains-gold rate, measured in a scratch index of the configured store.")
public final class EvalCommand implements Callable<Integer> {

    private static final String ROW = "%-14s %7.3f %7.3f %7.3f %8.3f %14s %10.1f%n";

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
            RetrievalEvaluation evaluation = new RetrievalEvaluation(embedder, questions);
            long started = System.nanoTime();
            int chunks = evaluation.index(index.store(), data.paragraphs(),
                    app.ingest().chunking(), app.ingest().batching().maxDocuments());
            out.printf("Indexed %d chunks in %.1f s%n", chunks, (System.nanoTime() - started) / 1e9);
            out.flush();

            ExtractiveComposer extractive = noAnswers ? null : new ExtractiveComposer(embedder);
            RetrievalPlan configured = app.qa().retrievalPlan();
            out.printf("RRF k=%d, keyword weight %.2f, leg depth %d dense / %d keyword, score threshold %.2f%n",
                    configured.rrfK(), configured.keywordWeight(), configured.denseCandidates(),
                    configured.keywordCandidates(), app.qa().scoreThreshold());
            out.printf("%-14s %7s %7s %7s %8s %14s %10s%n", "mode", "R@1", "R@5", "R@20", "MRR@10",
                    "contains-gold", "ms/query");
            for (RetrievalMode mode : retrievalModes) {
                print(out, mode.label(), evaluation.evaluate(index.store(), configured.withMode(mode), extractive,
                        app.qa().defaultTopK(), app.qa().scoreThreshold()));
            }
            if (app.models().reranker().isPresent()) {
                try (CrossEncoder reranker = new ModelFactory(app.models()).openReranker()) {
                    VectorStore reranking = new RerankingStore(index.store(), reranker::score,
                            app.models().rerankCandidates());
                    print(out, configured.mode().label() + "+rerank", evaluation.evaluate(reranking, configured,
                            extractive, app.qa().defaultTopK(), app.qa().scoreThreshold()));
                }
            }
            sweep(evaluation, index.store(), configured, out);
        }
        return 0;
    }

    private static void print(PrintWriter out, String label, RetrievalEvaluation.Result result) {
        out.printf(ROW, label, result.scores().recallAt1(), result.scores().recallAt5(),
                result.scores().recallAt20(), result.scores().mrrAt10(),
                result.containsGold() < 0 ? "-" : String.format("%.3f", result.containsGold()),
                result.msPerQuery());
        out.flush();
    }

    /** Hybrid under other fusion settings on the same index: the numbers a user needs to choose them. */
    private void sweep(RetrievalEvaluation evaluation, VectorStore store, RetrievalPlan configured, PrintWriter out) {
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
                RetrievalScores scores = evaluation.evaluate(store, plan, null, 0, 0).scores();
                out.printf("%-6d %-7.2f %7.3f %7.3f %7.3f %8.3f%n", k, weight, scores.recallAt1(),
                        scores.recallAt5(), scores.recallAt20(), scores.mrrAt10());
                out.flush();
            }
        }
    }

    private static TextEmbedder openEmbedder(AppConfig app) throws IOException {
        return new ModelFactory(app.models()).openEmbedder();
    }
}
