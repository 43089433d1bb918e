package io.streamrag.ingest;

import io.streamrag.app.config.AppConfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.inference.embed.EmbedderOptions;
import io.streamrag.inference.embed.Embedders;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.kafka.EmbeddedKafkaExtension;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.lucene.LuceneVectorStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Documents in every script through the real broker, the real MiniLM tokenizer and embedder and the Lucene store: the
 * stored passages are the document's own text. (The tokenizer reports code-point offsets; used as Java string indices
 * they dropped or shifted the text after emoji.)
 */
class UnicodeDocumentsIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final String REGISTRY = "mock://unicode-documents-it";

    @TempDir
    Path temp;

    /** One chunk: the passage is the body, character for character. */
    private static final String EMOJI_FIRST = "😀😀😀 Mount Etna is an active stratovolcano on the east coast of "
            + "Sicily. It is about 3,357 metres high.";

    /** Many chunks of 32 tokens: emoji, mathematical letters, combining marks, CJK and right-to-left scripts. */
    private static String mixed() {
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 12; i++) {
            body.append("🎉 Paragraph ").append(i).append(" has 𝐀lgebra, a cafe\u0301 and 👍🏽 thumbs. ")
                    .append("東京は日本の首都です。")
                    .append("שלום עולם, זה משפט בעברית. مرحبا بالعالم. ")
                    .append("It ends with a rocket 🚀.\n\n");
        }
        return body.toString().strip();
    }

    @Test
    void storedPassagesAreTheDocumentsOwnTextInEveryScript() throws Exception {
        String changes = KAFKA.uniqueTopic("unicode-changes");
        String updates = KAFKA.uniqueTopic("unicode-updates");
        String deadLetters = KAFKA.uniqueTopic("unicode-dead-letters");
        try (var admin = KAFKA.admin()) {
            admin.createTopics(List.of(new NewTopic(changes, 1, (short) 1), new NewTopic(updates, 1, (short) 1),
                    new NewTopic(deadLetters, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        IngestSettings settings = AppConfig.defaults().ingest().withTopics(List.of(changes), updates, deadLetters)
                .withChunking(new ChunkingSettings(32, 0)).withBatching(AppConfig.defaults().ingest().batching()
                .withSize(8, Duration.ofMillis(20)).withMaxEmbedTexts(64)).withMaxBodyChars(100_000)
                .withCollection("unicode-it").withCapturedDocumentsTopic(null);
        String mixed = mixed();
        try (TextEmbedder embedder = Embedders.open("default", EmbedderOptions.defaults()
                     .withCacheDirectory(Path.of(System.getProperty("java.io.tmpdir"), "streamrag-it-models"))
                     .withMeterRegistry(new SimpleMeterRegistry()));
             LuceneVectorStore store = LuceneVectorStore.open(temp.resolve("lucene"))) {
            store.ensureCollection(embedder.dimension());
            KafkaStreams streams = IngestStreams.start(KAFKA.bootstrapServers(), "unicode-it", temp.resolve("state"),
                    settings, REGISTRY, embedder, store, new SimpleMeterRegistry(),
                    exception -> StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
            try (KafkaProducer<String, DocumentChange> producer = IngestStreams.producer(KAFKA.bootstrapServers(),
                    REGISTRY)) {
                producer.send(new ProducerRecord<>(changes, "emoji-first",
                        Documents.upsert("emoji-first", 1, "Etna", EMOJI_FIRST)));
                producer.send(new ProducerRecord<>(changes, "mixed", Documents.upsert("mixed", 1, null, mixed)));
                producer.flush();
                awaitUpdates(updates, Set.of("emoji-first", "mixed"));
            } finally {
                IngestStreams.close(streams);
            }

            assertThat(store.chunksOf("emoji-first")).extracting(StoredChunk::text).containsExactly(EMOJI_FIRST);

            List<StoredChunk> passages = store.chunksOf("mixed");
            assertThat(passages).hasSizeGreaterThan(10).allSatisfy(passage -> {
                assertThat(mixed).contains(passage.text());
                assertThat(passage.text()).as("ends at a sentence end").matches("(?s).*[.。]");
                assertThat(Character.isLowSurrogate(passage.text().charAt(0))).isFalse();
            });
            String joined = passages.stream().map(StoredChunk::text).collect(Collectors.joining());
            assertThat(joined.replaceAll("\\s+", "")).as("the passages, in order, are the document")
                    .isEqualTo(mixed.replaceAll("\\s+", ""));
        }
    }

    private static void awaitUpdates(String topic, Set<String> documents) {
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (KafkaConsumer<String, IndexUpdate> consumer = IngestStreams.updatesConsumer(KAFKA.bootstrapServers(),
                REGISTRY, topic)) {
            while (!seen.containsAll(documents)) {
                assertThat(System.nanoTime()).as("index updates for %s, seen %s", documents, seen)
                        .isLessThan(deadline);
                for (ConsumerRecord<String, IndexUpdate> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(record.key());
                }
            }
        }
    }
}
