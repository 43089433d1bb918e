package io.streamrag.qa.extractive;

import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.qa.AnswerComposer;
import io.streamrag.qa.ComposedAnswer;
import io.streamrag.qa.QaSettings;
import io.streamrag.qa.RetrievalContext;
import io.streamrag.store.SearchHit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The answer when no generator is configured: the sentence of the retrieved passages that best answers the question,
 * by {@link AnswerSentenceScorer} (cosine similarity under the same embedder that retrieved the passages, plus
 * question-term overlap, an answer-type cue and the passage's retrieval score; ties go to the better-ranked passage,
 * then the earlier sentence). Its posterior treats the sentence as the answer y with p(y|x,d) = 1 if passage d
 * contains it and 0 otherwise, so p(d|x,y) is p(d|x) renormalised over the passages holding that sentence.
 */
public final class ExtractiveComposer implements AnswerComposer {

    private static final int SENTENCE_CACHE_CAPACITY = 50_000;

    /** How sentences are ranked: {@link #ANSWER} in the application; {@link #SIMILARITY} is the earlier baseline. */
    public enum Ranking { SIMILARITY, ANSWER }

    private final SentenceSplitter splitter = new SentenceSplitter();
    private final SentenceVectorCache cache;
    private final Ranking ranking;

    public ExtractiveComposer(TextEmbedder embedder) {
        this(embedder, Ranking.ANSWER);
    }

    /** For benchmarks comparing rankings; the application uses {@link Ranking#ANSWER}. */
    public ExtractiveComposer(TextEmbedder embedder, Ranking ranking) {
        this.cache = new SentenceVectorCache(embedder, SENTENCE_CACHE_CAPACITY);
        this.ranking = ranking;
    }

    @Override
    public String modelName() {
        return QaSettings.EXTRACTIVE;
    }

    @Override
    public String modeName() {
        return QaSettings.EXTRACTIVE;
    }

    @Override
    public List<ComposedAnswer> compose(List<RetrievalContext> contexts) {
        List<List<List<String>>> sentences = new ArrayList<>(contexts.size());
        List<String> allSentences = new ArrayList<>();
        for (RetrievalContext context : contexts) {
            List<List<String>> perPassage = new ArrayList<>(context.hits().size());
            for (SearchHit hit : context.hits()) {
                List<String> split = splitter.split(hit.chunk().text());
                perPassage.add(split);
                allSentences.addAll(split);
            }
            sentences.add(perPassage);
        }
        Map<String, float[]> vectors = cache.vectorsOf(allSentences);

        List<ComposedAnswer> answers = new ArrayList<>(contexts.size());
        for (int q = 0; q < contexts.size(); q++) {
            answers.add(bestSentence(contexts.get(q), sentences.get(q), vectors, ranking));
        }
        return answers;
    }

    private static ComposedAnswer bestSentence(RetrievalContext context, List<List<String>> perPassage,
                                               Map<String, float[]> vectors, Ranking ranking) {
        float[] question = context.questionVector();
        List<String> candidates = perPassage.stream().flatMap(List::stream).toList();
        AnswerSentenceScorer scorer = new AnswerSentenceScorer(context.question(), candidates);
        boolean onlyFragments = candidates.stream().allMatch(AnswerSentenceScorer::isFragment);
        String best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int d = 0; d < perPassage.size(); d++) {
            double passageScore = context.hits().get(d).score();
            String title = context.hits().get(d).chunk().title();
            for (String sentence : perPassage.get(d)) {
                double cosine = cosine(question, vectors.get(sentence));
                double score = switch (ranking) {
                    case SIMILARITY -> cosine;
                    case ANSWER -> !onlyFragments && AnswerSentenceScorer.isFragment(sentence)
                            ? Double.NEGATIVE_INFINITY : scorer.score(sentence, title, cosine, passageScore);
                };
                if (best == null || score > bestScore) {
                    bestScore = score;
                    best = sentence;
                }
            }
        }
        if (best == null) {
            // passages with no sentence at all (whitespace only): fall back to the best passage as the answer
            best = context.hits().get(0).chunk().text();
        }
        return new ComposedAnswer(best, posterior(context, perPassage, best));
    }

    private static double[] posterior(RetrievalContext context, List<List<String>> perPassage, String answer) {
        double[] posterior = new double[perPassage.size()];
        double total = 0;
        for (int d = 0; d < posterior.length; d++) {
            boolean contains = perPassage.get(d).contains(answer) || context.hits().get(d).chunk().text().equals(answer);
            posterior[d] = contains ? context.weights()[d] : 0.0;
            total += posterior[d];
        }
        for (int d = 0; d < posterior.length; d++) {
            posterior[d] /= total;
        }
        return posterior;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            normA += (double) a[i] * a[i];
            normB += (double) b[i] * b[i];
        }
        if (normA == 0 || normB == 0) {
            return 0;
        }
        return dot / Math.sqrt(normA * normB);
    }
}
