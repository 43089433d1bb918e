package io.streamrag.qa;

import io.streamrag.contracts.Answer;
import io.streamrag.contracts.AnswerStatus;
import io.streamrag.contracts.Question;
import io.streamrag.contracts.RetrievedDocument;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.store.SearchHit;
import io.streamrag.store.SearchRequest;
import io.streamrag.store.VectorStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Answers one micro-batch of valid questions: one embed call, one batched search, one composer call, then the
 * answers. Questions without passages above the threshold get NO_CONTEXT; questions past their deadline get
 * TIMEOUT with their passages (checked before and after generation, never skipping retrieval, so a late answer still
 * says where it would have looked). Stage times are the batch's, shared by its questions. Kafka-free.
 */
public final class QuestionAnswerer {

    private final QaSettings settings;
    private final QuestionValidator validator;
    private final TextEmbedder embedder;
    private final VectorStore store;
    private final AnswerComposer composer;
    private final AnswerAssembler assembler;

    public QuestionAnswerer(QaSettings settings, TextEmbedder embedder, VectorStore store, AnswerComposer composer) {
        this.settings = settings;
        this.validator = new QuestionValidator(settings);
        this.embedder = embedder;
        this.store = store;
        this.composer = composer;
        this.assembler = new AnswerAssembler(embedder.modelName(), composer.modelName(), composer.modeName());
    }

    public AnswerAssembler assembler() {
        return assembler;
    }

    /**
     * @return one answer per pending question, in order
     * @throws StageFailure when embedding, retrieval or generation fails for the batch
     */
    public List<Answer> answer(List<PendingQuestion> batch, WallClock clock) {
        long batchStart = clock.nowMs();
        List<String> texts = batch.stream().map(p -> p.question().getText()).toList();

        long started = System.nanoTime();
        List<float[]> vectors = run("embed", () -> embedder.embed(texts));
        if (vectors.size() != batch.size()) {
            throw new StageFailure("embed", "embedder returned " + vectors.size() + " vectors for " + batch.size()
                    + " questions", null);
        }
        long embedMs = elapsedMs(started);

        started = System.nanoTime();
        List<SearchRequest> requests = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Question question = batch.get(i).question();
            requests.add(new SearchRequest(vectors.get(i), question.getText(), validator.topKOf(question),
                    question.getTenant(), question.getFilters(), NO_MINIMUM, settings.retrievalPlan()));
        }
        List<List<SearchHit>> results = run("retrieve", () -> store.search(requests));
        if (results.size() != batch.size()) {
            throw new StageFailure("retrieve", "store returned " + results.size() + " result lists for "
                    + batch.size() + " queries", null);
        }
        long retrieveMs = elapsedMs(started);

        Answer[] answers = new Answer[batch.size()];
        List<Integer> toCompose = new ArrayList<>();
        List<RetrievalContext> contexts = new ArrayList<>();
        long afterRetrieval = clock.nowMs();
        for (int i = 0; i < batch.size(); i++) {
            PendingQuestion pending = batch.get(i);
            List<SearchHit> hits = results.get(i);
            double[] weights = RetrievalWeights.of(hits, settings.retrievalTemperature());
            if (!hasContext(hits, settings.scoreThreshold())) {
                answers[i] = finished(pending, AnswerStatus.NO_CONTEXT, null,
                        "no passage scored above " + settings.scoreThreshold(), List.of(), batchStart, embedMs,
                        retrieveMs, 0, afterRetrieval);
            } else if (afterRetrieval > validator.deadlineOf(pending.question())) {
                answers[i] = timedOut(pending, AnswerAssembler.documents(hits, weights, null), batchStart, embedMs,
                        retrieveMs, 0, afterRetrieval);
            } else {
                toCompose.add(i);
                contexts.add(new RetrievalContext(pending.question().getText(), vectors.get(i), hits, weights));
            }
        }

        if (!contexts.isEmpty()) {
            started = System.nanoTime();
            List<ComposedAnswer> composed = run("generate", () -> composeInSlices(contexts));
            if (composed.size() != contexts.size()) {
                throw new StageFailure("generate", composer.modeName() + " composed " + composed.size()
                        + " answers for " + contexts.size() + " questions", null);
            }
            long generateMs = elapsedMs(started);
            long answeredAt = clock.nowMs();
            for (int c = 0; c < contexts.size(); c++) {
                int i = toCompose.get(c);
                PendingQuestion pending = batch.get(i);
                RetrievalContext context = contexts.get(c);
                List<RetrievedDocument> documents = AnswerAssembler.documents(context.hits(), context.weights(),
                        composed.get(c).posteriors());
                answers[i] = answeredAt > validator.deadlineOf(pending.question())
                        ? timedOut(pending, documents, batchStart, embedMs, retrieveMs, generateMs, answeredAt)
                        : finished(pending, AnswerStatus.OK, composed.get(c).text(), null, documents, batchStart,
                                embedMs, retrieveMs, generateMs, answeredAt);
            }
        }
        return List.of(answers);
    }

    /**
     * The composer sees at most {@code qa.generate.batch.size} questions at a time: it decodes all passages of the
     * questions it is given together, so the slice bounds the generator's batch (and its memory).
     */
    private List<ComposedAnswer> composeInSlices(List<RetrievalContext> contexts) {
        List<ComposedAnswer> composed = new ArrayList<>(contexts.size());
        for (int from = 0; from < contexts.size(); from += settings.generateBatchSize()) {
            List<RetrievalContext> slice = contexts.subList(from,
                    Math.min(contexts.size(), from + settings.generateBatchSize()));
            composed.addAll(composer.compose(slice));
        }
        return composed;
    }

    /** The answer for a question whose batch failed in {@code failure}'s stage. */
    public Answer failed(PendingQuestion pending, StageFailure failure, WallClock clock) {
        long now = clock.nowMs();
        return assembler.answer(pending.question(), AnswerStatus.ERROR, null, failure.getMessage(), List.of(),
                AnswerAssembler.timings(0, 0, 0, 0, Math.max(0, now - pending.enqueuedAtMs())), now);
    }

    private Answer timedOut(PendingQuestion pending, List<RetrievedDocument> documents, long batchStart, long embedMs,
                            long retrieveMs, long generateMs, long now) {
        String error = "deadline passed " + (now - validator.deadlineOf(pending.question())) + " ms ago";
        return finished(pending, AnswerStatus.TIMEOUT, null, error, documents, batchStart, embedMs, retrieveMs,
                generateMs, now);
    }

    private Answer finished(PendingQuestion pending, AnswerStatus status, String text, String error,
                            List<RetrievedDocument> documents, long batchStart, long embedMs, long retrieveMs,
                            long generateMs, long now) {
        long queueMs = Math.max(0, batchStart - pending.enqueuedAtMs());
        long totalMs = Math.max(0, now - pending.enqueuedAtMs());
        return assembler.answer(pending.question(), status, text, error, documents,
                AnswerAssembler.timings(queueMs, embedMs, retrieveMs, generateMs, totalMs), now);
    }

    private static <T> T run(String stage, Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            throw new StageFailure(stage, String.valueOf(e.getMessage()), e);
        }
    }

    private static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** Every cosine passes: the threshold gates the question as a whole, see {@link #hasContext}. */
    public static final double NO_MINIMUM = -1.0;

    /**
     * Whether a question has context: its best passage's dense cosine reaches {@code threshold}. The threshold tells
     * an off-topic question from an answerable one; it does not drop single passages, because under hybrid retrieval
     * the keyword leg finds right passages whose cosine is low (dropping them cost 3 points of R@5).
     */
    public static boolean hasContext(List<SearchHit> hits, double threshold) {
        return hits.stream().anyMatch(hit -> hit.score() >= threshold);
    }
}
