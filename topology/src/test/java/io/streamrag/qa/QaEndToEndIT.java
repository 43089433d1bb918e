package io.streamrag.qa;

import io.streamrag.app.config.AppConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.contracts.Answer;
import io.streamrag.contracts.AnswerStatus;
import io.streamrag.contracts.Question;
import io.streamrag.contracts.RetrievedDocument;
import io.streamrag.inference.bart.BartGenerator;
import io.streamrag.inference.device.DeviceSettings;
import io.streamrag.inference.embed.EmbedderOptions;
import io.streamrag.inference.embed.Embedders;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.kafka.EmbeddedKafkaExtension;
import io.streamrag.qa.SquadSample.AnswerableQuestion;
import io.streamrag.qa.SquadSample.Paragraph;
import io.streamrag.qa.rag.ConcatInputPacker;
import io.streamrag.qa.rag.GeneratorSettings;
import io.streamrag.qa.rag.RagInputFormatter;
import io.streamrag.store.SearchHit;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.lucene.LuceneVectorStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The QA topology on the real embedded broker with the real default embedder (all-MiniLM-L6-v2, ONNX) and the
 * Lucene store holding SQuAD paragraphs (one chunk per paragraph, written directly as the ingest topology would).
 */
class QaEndToEndIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    static Path scratch;

    private static TextEmbedder embedder;
    private static LuceneVectorStore store;
    private static SquadSample squad;

    @BeforeAll
    static void indexSquadParagraphs() throws Exception {
        squad = SquadSample.load();
        embedder = Embedders.open(Embedders.DEFAULT, EmbedderOptions.defaults());
        store = LuceneVectorStore.open(scratch.resolve("lucene"));
        store.ensureCollection(embedder.dimension());
        List<Paragraph> paragraphs = squad.paragraphs();
        for (int from = 0; from < paragraphs.size(); from += 32) {
            List<Paragraph> batch = paragraphs.subList(from, Math.min(paragraphs.size(), from + 32));
            List<float[]> vectors = embedder.embed(batch.stream().map(QaEndToEndIT::embeddingText).toList());
            for (int i = 0; i < batch.size(); i++) {
                Paragraph p = batch.get(i);
                store.replaceDocument(p.documentId(), List.of(new StoredChunk(p.documentId() + "#0", p.documentId(),
                        0, 1, p.title(), p.text(), null, Map.of(), vectors.get(i))));
            }
        }
        store.flush();
    }

    /** What the ingest topology embeds for a chunk: "Title. passage". */
    static String embeddingText(Paragraph paragraph) {
        return paragraph.title() + ". " + paragraph.text();
    }

    @AfterAll
    static void close() {
        if (store != null) {
            store.close();
        }
        if (embedder != null) {
            embedder.close();
        }
    }

    private static QaSettings settings(String prefix) {
        return AppConfig.defaults().qa().withTopics(prefix + "questions", prefix + "answers", prefix + "dead-letters")
                .withRetrieval(5, 20, 0.0)
                .withBatching(16, Duration.ofMillis(5))
                .withDefaultDeadline(Duration.ofMinutes(5));
    }

    private static Question question(String id, String text, Integer topK) {
        return Question.newBuilder().setQuestionId(id).setText(text).setTopK(topK).setRequestedAt(Instant.now())
                .build();
    }

    private static Map<String, Answer> askAll(QaPipeline pipeline, List<AnswerableQuestion> sample,
                                              Duration timeout) {
        Set<String> ids = new LinkedHashSet<>();
        for (AnswerableQuestion q : sample) {
            pipeline.ask(question(q.id(), q.text(), null));
            ids.add(q.id());
        }
        pipeline.flush();
        return pipeline.await(ids, timeout, null);
    }

    @Test
    void theGoldParagraphIsAmongTheTopFiveForNineOutOfTenQuestions() throws Exception {
        List<AnswerableQuestion> sample = squad.sample(100);
        try (QaPipeline pipeline = new QaPipeline(KAFKA.bootstrapServers(), "mock://qa-it-extractive", "ex-",
                settings("ex-"), embedder, store, null, new SimpleMeterRegistry(), scratch.resolve("state-ex"), 1)) {
            Map<String, Answer> answers = askAll(pipeline, sample, Duration.ofMinutes(3));

            assertThat(answers).as("every question is answered").hasSize(sample.size());
            int hits = 0;
            for (AnswerableQuestion q : sample) {
                Answer answer = answers.get(q.id());
                assertThat(answer.getStatus()).isEqualTo(AnswerStatus.OK);
                assertThat(answer.getModels().getMode()).isEqualTo("extractive");
                assertThat(answer.getText()).isNotBlank();
                assertThat(answer.getDocuments()).hasSize(5).allSatisfy(d -> {
                    assertThat(d.getScore()).isBetween(-1.0, 1.0);
                    assertThat(d.getWeight()).isBetween(0.0, 1.0);
                    assertThat(d.getPosterior()).isNotNull();
                });
                if (answer.getDocuments().stream().map(RetrievedDocument::getDocumentId)
                        .anyMatch(q.goldDocumentId()::equals)) {
                    hits++;
                }
            }
            double recallAt5 = (double) hits / sample.size();
            System.out.printf("recall@5 = %.3f over %d questions from %s%n", recallAt5, sample.size(), squad.source());
            assertThat(recallAt5).isGreaterThanOrEqualTo(0.90);
        }
    }

    @Test
    void ragSequenceWithTheTinyBartAnswersWhatTheGeneratorSaysForThatInputAlone() throws Exception {
        List<AnswerableQuestion> sample = squad.sample(4);
        try (BartGenerator generator = BartGenerator.open(TinyBartFolder.locate(scratch), DeviceSettings.CPU_FP32)) {
            QaSettings settings = settings("rag-").withRetrieval(1, 5, 0.0).withGeneration(1, 8, null);
            try (QaPipeline pipeline = new QaPipeline(KAFKA.bootstrapServers(), "mock://qa-it-rag", "rag-",
                    settings, embedder, store, generator, new SimpleMeterRegistry(), scratch.resolve("state-rag"),
                    1)) {
                Map<String, Answer> answers = askAll(pipeline, sample, Duration.ofMinutes(2));
                assertThat(answers).hasSize(sample.size());

                GenerationSettings alone = GeneratorSettings.derive(generator.defaultSettings(), 1, 8, true);
                RagInputFormatter formatter = new RagInputFormatter("");
                List<String> expectedInputs = new ArrayList<>();
                for (AnswerableQuestion q : sample) {
                    Answer answer = answers.get(q.id());
                    assertThat(answer.getStatus()).isEqualTo(AnswerStatus.OK);
                    assertThat(answer.getModels().getMode()).isEqualTo("rag-sequence");
                    assertThat(answer.getModels().getGenerator()).isEqualTo(generator.modelName());
                    RetrievedDocument document = answer.getDocuments().get(0);
                    // one passage: p(d|x) = p(d|x,y) = 1
                    assertThat(document.getWeight()).isEqualTo(1.0);
                    assertThat(document.getPosterior()).isEqualTo(1.0);
                    String input = formatter.format(document.getTitle(), document.getPassage(), q.text());
                    expectedInputs.add(input);
                    String alonesText = generator.generate(List.of(input), alone).get(0).get(0).text();
                    assertThat(answer.getText()).isEqualTo(alonesText);
                }
                assertThat(expectedInputs).doesNotHaveDuplicates();
            }
        }
    }
    @Test
    void concatWithTheTinyBartAnswersWhatTheGeneratorSaysForThePackedInput() throws Exception {
        List<AnswerableQuestion> sample = squad.sample(3);
        try (BartGenerator generator = BartGenerator.open(TinyBartFolder.locate(scratch), DeviceSettings.CPU_FP32)) {
            QaSettings settings = settings("concat-").withMode(QaSettings.GenerationMode.CONCAT)
                    .withRetrieval(3, 5, 0.0).withGeneration(1, 8, null);
            try (QaPipeline pipeline = new QaPipeline(KAFKA.bootstrapServers(), "mock://qa-it-concat", "concat-",
                    settings, embedder, store, generator, new SimpleMeterRegistry(),
                    scratch.resolve("state-concat"), 1)) {
                Map<String, Answer> answers = askAll(pipeline, sample, Duration.ofMinutes(2));
                assertThat(answers).hasSize(sample.size());

                GenerationSettings alone = GeneratorSettings.derive(generator.defaultSettings(), 1, 8, false);
                ConcatInputPacker packer = new ConcatInputPacker(generator.tokenizer(), generator.maxInputTokens());
                for (AnswerableQuestion q : sample) {
                    Answer answer = answers.get(q.id());
                    assertThat(answer.getStatus()).isEqualTo(AnswerStatus.OK);
                    assertThat(answer.getModels().getMode()).isEqualTo("concat");
                    assertThat(answer.getDocuments()).hasSize(3)
                            .allMatch(d -> d.getPosterior() != null && d.getPosterior() > 0 && d.getPosterior() < 1);
                    assertThat(answer.getDocuments().stream().mapToDouble(d -> d.getPosterior()).sum())
                            .as("p(d|x,y) over the retrieved passages").isCloseTo(1.0, within(1e-9));
                    List<SearchHit> hits = answer.getDocuments().stream().map(d -> new SearchHit(new StoredChunk(
                            d.getChunkId(), d.getDocumentId(), d.getChunkIndex(), 1, d.getTitle(), d.getPassage(),
                            null, Map.of(), null), d.getScore())).toList();
                    String input = packer.pack(new RetrievalContext(q.text(), new float[0], hits,
                            RetrievalWeights.of(hits, 1.0))).text();
                    assertThat(input).startsWith(q.text() + " // ");
                    assertThat(answer.getText())
                            .isEqualTo(generator.generate(List.of(input), alone).get(0).get(0).text());
                }
            }
        }
    }
}
