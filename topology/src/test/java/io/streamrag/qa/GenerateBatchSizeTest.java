package io.streamrag.qa;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.app.config.AppConfig;
import io.streamrag.contracts.Answer;
import io.streamrag.contracts.AnswerStatus;
import io.streamrag.contracts.Question;
import io.streamrag.qa.testing.BagOfWordsEmbedder;
import io.streamrag.store.InMemoryVectorStore;
import io.streamrag.store.StoredChunk;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code qa.generate.batch.size}: the composer is handed at most that many questions of a batch at a time. */
class GenerateBatchSizeTest {

    private final BagOfWordsEmbedder embedder = new BagOfWordsEmbedder(64);
    private final InMemoryVectorStore store = new InMemoryVectorStore();
    private final List<Integer> sliceSizes = new ArrayList<>();

    private final AnswerComposer recording = new AnswerComposer() {
        @Override
        public String modelName() {
            return "recording";
        }

        @Override
        public String modeName() {
            return "recording";
        }

        @Override
        public List<ComposedAnswer> compose(List<RetrievalContext> contexts) {
            sliceSizes.add(contexts.size());
            return contexts.stream().map(context -> new ComposedAnswer("answer to " + context.question(),
                    new double[context.hits().size()])).toList();
        }
    };

    @Test
    void aBatchOfTenIsComposedInSlicesOfTheGenerateBatchSize() {
        store.ensureCollection(embedder.dimension());
        store.replaceDocument("doc", List.of(new StoredChunk("doc#0", "doc", 0, 1, "Kafka", "kafka streams topics",
                null, Map.of(), embedder.vectorOf("Kafka kafka streams topics"))));
        QaSettings settings = AppConfig.defaults().qa().withScoreThreshold(0.0).withGenerateBatchSize(4);
        QuestionAnswerer answerer = new QuestionAnswerer(settings, embedder, store, recording);
        List<PendingQuestion> batch = IntStream.range(0, 10).mapToObj(i -> new PendingQuestion(
                Question.newBuilder().setQuestionId("q" + i).setText("kafka topics " + i)
                        .setRequestedAt(Instant.now()).build(), "q" + i, System.currentTimeMillis(), "questions", 0, i))
                .toList();

        List<Answer> answers = answerer.answer(batch, System::currentTimeMillis);

        assertThat(sliceSizes).containsExactly(4, 4, 2);
        assertThat(answers).extracting(Answer::getStatus).containsOnly(AnswerStatus.OK);
        assertThat(answers).extracting(Answer::getText).containsExactlyElementsOf(
                IntStream.range(0, 10).mapToObj(i -> "answer to kafka topics " + i).toList());
    }
}
