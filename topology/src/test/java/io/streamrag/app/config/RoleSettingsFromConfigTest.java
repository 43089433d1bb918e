package io.streamrag.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.ingest.IngestSettings;
import io.streamrag.qa.QaSettings;
import io.streamrag.store.RetrievalMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The role settings the topologies take are built from the catalogue's keys, each key landing in its field. */
class RoleSettingsFromConfigTest {

    private static AppConfig load(Map<String, String> overrides) {
        return new ConfigLoader(Map.of(), new Properties()).load(Optional.empty(), overrides);
    }

    @Test
    void theApplicationDefaultsAreTheTopologySettings() {
        AppConfig config = AppConfig.defaults();
        QaSettings qa = config.qa();

        assertThat(qa.questionsTopic()).isEqualTo(config.topics().questions());
        assertThat(qa.answersTopic()).isEqualTo(config.topics().answers());
        assertThat(qa.deadLetterTopic()).isEqualTo(config.topics().deadLetters());
        assertThat(qa.mode()).isEqualTo(QaSettings.GenerationMode.RAG_SEQUENCE);
        assertThat(qa.decoding()).isEqualTo(QaSettings.RagDecoding.THOROUGH);
        assertThat(qa.defaultTopK()).isEqualTo(4);
        assertThat(qa.maxTopK()).isEqualTo(20);
        assertThat(qa.scoreThreshold()).isEqualTo(0.3);
        assertThat(qa.batchMaxSize()).isEqualTo(16);
        assertThat(qa.batchLinger()).isEqualTo(Duration.ofMillis(20));
        assertThat(qa.generateBatchSize()).isEqualTo(4);
        assertThat(qa.numBeams()).isEqualTo(4);
        assertThat(qa.maxNewTokens()).isEqualTo(64);
        assertThat(qa.passageTokens()).isEqualTo(256);
        assertThat(qa.batchTimeBudget()).isEqualTo(config.kafka().transactionTimeout().dividedBy(2));
        assertThat(qa.generatorPrefix()).isEmpty();
        assertThat(qa.bosTokenId()).isNull();

        IngestSettings ingest = config.ingest();
        assertThat(ingest.documentChangeTopics()).containsExactly(config.topics().documents());
        assertThat(ingest.chunking().chunkTokens()).isEqualTo(256);
        assertThat(ingest.chunking().overlapTokens()).isEqualTo(32);
        assertThat(ingest.batching().maxDocuments()).isEqualTo(32);
        assertThat(ingest.batching().linger()).isEqualTo(Duration.ofMillis(50));
        assertThat(ingest.batching().maxEmbedTexts()).isEqualTo(256);
        assertThat(ingest.batching().maxTokens()).isEqualTo(16_384);
        assertThat(ingest.batching().timeBudget()).isEqualTo(config.kafka().transactionTimeout().dividedBy(2));
        assertThat(ingest.capturedDocumentsTopic()).isEqualTo(config.topics().capturedDocuments());
        assertThat(ingest.collection()).as("known once the embedder is open").isNull();
    }

    @Test
    void eachQaKeyLandsInItsField() {
        QaSettings qa = load(Map.ofEntries(
                Map.entry("qa.application.id", "my-qa"),
                Map.entry("qa.generation.mode", "concat"),
                Map.entry("qa.rag.decoding", "fast"),
                Map.entry("qa.top.k.default", "3"),
                Map.entry("qa.top.k.max", "7"),
                Map.entry("qa.question.max.chars", "99"),
                Map.entry("qa.score.threshold", "0.5"),
                Map.entry("qa.retrieval.temperature", "0.25"),
                Map.entry("qa.retrieval.mode", "keyword"),
                Map.entry("qa.deadline.ms", "1234"),
                Map.entry("qa.embed.batch.size", "9"),
                Map.entry("qa.batch.max.wait.ms", "0"),
                Map.entry("qa.generate.batch.size", "2"),
                Map.entry("qa.num.beams", "3"),
                Map.entry("qa.max.new.tokens", "30"),
                Map.entry("qa.batch.max.tokens", "5000"),
                Map.entry("ingest.chunk.size.tokens", "128"),
                Map.entry("qa.reply.topics", "replies.*"))).qa();

        assertThat(qa.applicationId()).isEqualTo("my-qa");
        assertThat(qa.mode()).isEqualTo(QaSettings.GenerationMode.CONCAT);
        assertThat(qa.decoding()).isEqualTo(QaSettings.RagDecoding.FAST);
        assertThat(qa.defaultTopK()).isEqualTo(3);
        assertThat(qa.maxTopK()).isEqualTo(7);
        assertThat(qa.maxQuestionChars()).isEqualTo(99);
        assertThat(qa.scoreThreshold()).isEqualTo(0.5);
        assertThat(qa.retrievalTemperature()).isEqualTo(0.25);
        assertThat(qa.retrievalPlan().mode()).isEqualTo(RetrievalMode.KEYWORD);
        assertThat(qa.defaultDeadline()).isEqualTo(Duration.ofMillis(1234));
        assertThat(qa.batchMaxSize()).isEqualTo(9);
        assertThat(qa.batchLinger()).as("zero: at once, the smallest punctuation").isEqualTo(Duration.ofMillis(1));
        assertThat(qa.generateBatchSize()).isEqualTo(2);
        assertThat(qa.numBeams()).isEqualTo(3);
        assertThat(qa.maxNewTokens()).isEqualTo(30);
        assertThat(qa.batchMaxTokens()).isEqualTo(5000);
        assertThat(qa.passageTokens()).isEqualTo(128);
        assertThat(qa.replyTopics()).isEqualTo(List.of("replies.*"));
    }

    @Test
    void eachIngestKeyLandsInItsField() {
        IngestSettings ingest = load(Map.of(
                "ingest.application.id", "my-ingest",
                "ingest.chunk.size.tokens", "100",
                "ingest.chunk.overlap.tokens", "10",
                "ingest.max.body.chars", "500",
                "ingest.batch.max.size", "5",
                "ingest.batch.max.wait.ms", "7",
                "ingest.embed.max.texts", "11",
                "ingest.batch.max.tokens", "999",
                "kafka.transaction.timeout.ms", "20000")).ingest();

        assertThat(ingest.applicationId()).isEqualTo("my-ingest");
        assertThat(ingest.chunking().chunkTokens()).isEqualTo(100);
        assertThat(ingest.chunking().overlapTokens()).isEqualTo(10);
        assertThat(ingest.maxBodyChars()).isEqualTo(500);
        assertThat(ingest.batching().maxDocuments()).isEqualTo(5);
        assertThat(ingest.batching().linger()).isEqualTo(Duration.ofMillis(7));
        assertThat(ingest.batching().maxEmbedTexts()).isEqualTo(11);
        assertThat(ingest.batching().maxTokens()).isEqualTo(999);
        assertThat(ingest.batching().timeBudget()).isEqualTo(Duration.ofSeconds(10));
    }
}
