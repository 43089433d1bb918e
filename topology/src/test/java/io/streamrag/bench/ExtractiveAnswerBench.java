package io.streamrag.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrag.cli.DocumentFiles;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.inference.embed.EmbedderOptions;
import io.streamrag.inference.embed.Embedders;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.chunk.Chunk;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.ingest.chunk.DocumentChunker;
import io.streamrag.qa.ComposedAnswer;
import io.streamrag.qa.RetrievalContext;
import io.streamrag.qa.RetrievalWeights;
import io.streamrag.qa.extractive.ExtractiveComposer;
import io.streamrag.qa.extractive.ExtractiveComposer.Ranking;
import io.streamrag.store.SearchHit;
import io.streamrag.store.StoredChunk;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Extractive answer quality and the dense score threshold, on the shared SQuAD v2 subset with the default embedder.
 * Not a test: prints Markdown tables.
 *
 * <p>Index: every paragraph chunked as the ingest topology does (title prefix, {@code 256/32} tokens) and embedded;
 * retrieval: exact cosine top-k. For every answerable question, the share of answers that contain a gold answer
 * (SQuAD normalisation: lower case, no punctuation or articles), for the embedding-similarity ranking (the earlier
 * behaviour) and the answer ranking, overall and per article. Threshold table: answerable questions over the whole
 * index (does the best passage, and the best passage holding a gold answer, keep a score at or above t?) against
 * off-topic questions (each article's questions asked of an index without that article: the topic is absent, so the
 * right answer is NO_CONTEXT). Last, the README's questions over {@code docs/examples}.
 *
 * <pre>
 * java ... io.streamrag.bench.ExtractiveAnswerBench [SQuAD json] [top-k] [max questions]
 * </pre>
 */
public final class ExtractiveAnswerBench {

    record Question(String article, String text, List<String> answers) {
    }

    record Indexed(String article, String title, Chunk chunk, float[] vector) {
    }

    public static void main(String[] args) throws Exception {
        Path squad = Path.of(args.length > 0 ? args[0] : "/work/shared/data/squad-v2-dev-subset.json");
        int topK = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int maxQuestions = args.length > 2 ? Integer.parseInt(args[2]) : Integer.MAX_VALUE;

        JsonNode root = new ObjectMapper().readTree(squad.toFile());
        Map<String, List<String>> articles = new LinkedHashMap<>();
        List<Question> questions = new ArrayList<>();
        for (JsonNode article : root.get("data")) {
            String title = article.get("title").asText().replace('_', ' ');
            for (JsonNode paragraph : article.get("paragraphs")) {
                articles.computeIfAbsent(title, t -> new ArrayList<>()).add(paragraph.get("context").asText());
                for (JsonNode qa : paragraph.get("qas")) {
                    if (qa.path("is_impossible").asBoolean(false)) {
                        continue;
                    }
                    List<String> answers = new ArrayList<>();
                    qa.get("answers").forEach(a -> answers.add(a.get("text").asText()));
                    questions.add(new Question(title, qa.get("question").asText(), answers));
                }
            }
        }
        if (questions.size() > maxQuestions) {
            // every n-th question, so all articles stay represented
            int step = questions.size() / maxQuestions;
            questions = everyNth(questions, step, maxQuestions);
        }

        try (TextEmbedder embedder = Embedders.open(Embedders.DEFAULT, EmbedderOptions.defaults())) {
            DocumentChunker chunker = new DocumentChunker(embedder.tokenizer(), embedder.maxTokens(),
                    new ChunkingSettings(256, 32));
            long started = System.nanoTime();
            List<Indexed> index = new ArrayList<>();
            for (Map.Entry<String, List<String>> article : articles.entrySet()) {
                int p = 0;
                for (String paragraph : article.getValue()) {
                    for (Chunk chunk : chunker.chunk(article.getKey() + "/" + p++, article.getKey(), paragraph)) {
                        index.add(new Indexed(article.getKey(), article.getKey(), chunk, null));
                    }
                }
            }
            index = withVectors(embedder, index);
            List<float[]> questionVectors = embedAll(embedder, questions.stream().map(Question::text).toList());
            System.err.printf(Locale.ROOT, "indexed %d chunks, embedded %d questions in %.0f s%n", index.size(),
                    questions.size(), (System.nanoTime() - started) / 1e9);

            answerQuality(embedder, index, questions, questionVectors, topK);
            thresholds(index, questions, questionVectors);
            readmeQuestions(embedder, chunker);
        }
    }

    private static List<Question> everyNth(List<Question> questions, int step, int count) {
        List<Question> sample = new ArrayList<>();
        for (int i = 0; i < questions.size() && sample.size() < count; i += Math.max(1, step)) {
            sample.add(questions.get(i));
        }
        return sample;
    }

    private static void answerQuality(TextEmbedder embedder, List<Indexed> index, List<Question> questions,
                                      List<float[]> vectors, int topK) {
        List<RetrievalContext> contexts = new ArrayList<>();
        int goldRetrieved = 0;
        for (int q = 0; q < questions.size(); q++) {
            List<SearchHit> hits = search(index, vectors.get(q), topK, null);
            contexts.add(new RetrievalContext(questions.get(q).text(), vectors.get(q), hits,
                    RetrievalWeights.of(hits, 1.0)));
            Question question = questions.get(q);
            if (hits.stream().anyMatch(hit -> containsAnswer(hit.chunk().text(), question.answers()))) {
                goldRetrieved++;
            }
        }
        Map<Ranking, List<ComposedAnswer>> answers = new LinkedHashMap<>();
        for (Ranking ranking : Ranking.values()) {
            ExtractiveComposer composer = new ExtractiveComposer(embedder, ranking);
            List<ComposedAnswer> composed = new ArrayList<>();
            for (int from = 0; from < contexts.size(); from += 32) {
                composed.addAll(composer.compose(contexts.subList(from, Math.min(contexts.size(), from + 32))));
            }
            answers.put(ranking, composed);
        }
        List<String> groups = new ArrayList<>();
        groups.add("all");
        questions.stream().map(Question::article).distinct().forEach(groups::add);
        System.out.printf(Locale.ROOT, "%n| questions (top-%d) | count | a retrieved passage holds a gold answer |"
                + " similarity ranking (before) | answer ranking (after) |%n|---|---:|---:|---:|---:|%n", topK);
        for (String group : groups) {
            int count = 0;
            int retrieved = 0;
            int[] correct = new int[Ranking.values().length];
            for (int q = 0; q < questions.size(); q++) {
                Question question = questions.get(q);
                if (!group.equals("all") && !group.equals(question.article())) {
                    continue;
                }
                count++;
                RetrievalContext context = contexts.get(q);
                if (context.hits().stream().anyMatch(h -> containsAnswer(h.chunk().text(), question.answers()))) {
                    retrieved++;
                }
                for (Ranking ranking : Ranking.values()) {
                    if (containsAnswer(answers.get(ranking).get(q).text(), question.answers())) {
                        correct[ranking.ordinal()]++;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f %% | %.1f %% | %.1f %% |%n", group, count,
                    100.0 * retrieved / count, 100.0 * correct[0] / count, 100.0 * correct[1] / count);
        }
        System.err.printf(Locale.ROOT, "gold retrieved overall: %d of %d%n", goldRetrieved, questions.size());
    }

    private static void thresholds(List<Indexed> index, List<Question> questions, List<float[]> vectors) {
        double[] top1 = new double[questions.size()];
        double[] goldBest = new double[questions.size()];
        double[] offTopic = new double[questions.size()];
        for (int q = 0; q < questions.size(); q++) {
            Question question = questions.get(q);
            List<SearchHit> hits = search(index, vectors.get(q), index.size(), null);
            top1[q] = hits.get(0).score();
            goldBest[q] = hits.stream().filter(h -> containsAnswer(h.chunk().text(), question.answers()))
                    .mapToDouble(SearchHit::score).max().orElse(Double.NaN);
            offTopic[q] = search(index, vectors.get(q), 1, question.article()).get(0).score();
        }
        System.out.printf(Locale.ROOT, "%n| threshold | answerable: best passage kept | answerable: best passage "
                + "holding a gold answer kept | off-topic (article left out): NO_CONTEXT |%n|---:|---:|---:|---:|%n");
        long withGold = java.util.Arrays.stream(goldBest).filter(v -> !Double.isNaN(v)).count();
        for (int step = 0; step <= 12; step++) {
            double t = 0.0 + 0.05 * step;
            long kept = java.util.Arrays.stream(top1).filter(v -> v >= t).count();
            long goldKept = java.util.Arrays.stream(goldBest).filter(v -> !Double.isNaN(v) && v >= t).count();
            long rejected = java.util.Arrays.stream(offTopic).filter(v -> v < t).count();
            System.out.printf(Locale.ROOT, "| %.2f | %.1f %% | %.1f %% | %.1f %% |%n", t,
                    100.0 * kept / top1.length, 100.0 * goldKept / withGold, 100.0 * rejected / offTopic.length);
        }
    }

    private static void readmeQuestions(TextEmbedder embedder, DocumentChunker chunker) throws Exception {
        List<Indexed> index = new ArrayList<>();
        for (DocumentChange document : DocumentFiles.read(Path.of("docs/examples"), null)) {
            for (Chunk chunk : chunker.chunk(document.getDocumentId(), document.getTitle(), document.getBody())) {
                index.add(new Indexed(document.getDocumentId(), document.getTitle(), chunk, null));
            }
        }
        index = withVectors(embedder, index);
        List<String> asked = List.of("How tall is Mount Etna?", "Where was Kafka first developed?",
                "What does Debezium read?", "Who introduced retrieval-augmented generation?", "What is Kafka Streams?",
                "What is change data capture?", "What did Lewis et al. introduce in 2020?",
                "What is the capital of France?", "Who wrote Hamlet?", "How do I bake sourdough bread?",
                "What is the boiling point of water?");
        List<float[]> vectors = embedAll(embedder, asked);
        ExtractiveComposer composer = new ExtractiveComposer(embedder);
        System.out.printf("%n| question over docs/examples | best passage cosine | answer |%n|---|---:|---|%n");
        for (int q = 0; q < asked.size(); q++) {
            List<SearchHit> hits = search(index, vectors.get(q), 4, null);
            String answer = composer.compose(List.of(new RetrievalContext(asked.get(q), vectors.get(q), hits,
                    RetrievalWeights.of(hits, 1.0)))).get(0).text();
            System.out.printf(Locale.ROOT, "| %s | %.3f | %s |%n", asked.get(q), hits.get(0).score(), answer);
        }
    }

    private static List<Indexed> withVectors(TextEmbedder embedder, List<Indexed> chunks) {
        List<float[]> vectors = embedAll(embedder, chunks.stream().map(c -> c.chunk().embeddingText()).toList());
        return IntStream.range(0, chunks.size())
                .mapToObj(i -> new Indexed(chunks.get(i).article(), chunks.get(i).title(), chunks.get(i).chunk(),
                        vectors.get(i))).toList();
    }

    private static List<float[]> embedAll(TextEmbedder embedder, List<String> texts) {
        List<float[]> vectors = new ArrayList<>();
        for (int from = 0; from < texts.size(); from += 32) {
            vectors.addAll(embedder.embed(texts.subList(from, Math.min(texts.size(), from + 32))));
        }
        return vectors;
    }

    /** Exact cosine top-k, optionally leaving one article out. */
    private static List<SearchHit> search(List<Indexed> index, float[] query, int k, String leaveOut) {
        return index.stream()
                .filter(entry -> leaveOut == null || !entry.article().equals(leaveOut))
                .map(entry -> new SearchHit(new StoredChunk(entry.chunk().chunkId(), entry.article(),
                        entry.chunk().index(), 1, entry.title(), entry.chunk().text(), null, Map.of(), null),
                        cosine(query, entry.vector())))
                .sorted(Comparator.comparingDouble(SearchHit::score).reversed())
                .limit(k)
                .toList();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    static boolean containsAnswer(String text, List<String> answers) {
        String normalised = " " + normalise(text) + " ";
        return answers.stream().map(ExtractiveAnswerBench::normalise).filter(a -> !a.isEmpty())
                .anyMatch(answer -> normalised.contains(" " + answer + " "));
    }

    /** SQuAD's answer normalisation: lower case, no punctuation, no articles, single spaces. */
    static String normalise(String text) {
        String lower = Normalizer.normalize(text, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        String noPunctuation = lower.replaceAll("[\\p{P}\\p{S}]", " ");
        return noPunctuation.replaceAll("\\b(a|an|the)\\b", " ").replaceAll("\\s+", " ").strip();
    }
}
