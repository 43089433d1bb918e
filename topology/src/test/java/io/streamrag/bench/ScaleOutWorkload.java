package io.streamrag.bench;

import io.streamrag.app.config.AppConfig;

import io.streamrag.inference.embed.EmbedderOptions;
import io.streamrag.inference.embed.Embedders;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.BagOfWordsEmbedder;
import io.streamrag.ingest.IngestSettings;
import io.streamrag.ingest.batch.BatchingSettings;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.qa.QaSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * What the scale-out bench's driver and its instance processes must agree on: topic names per run, the roles'
 * settings, and the embedder ({@code bow}: the tests' bag-of-words stand-in, nearly free, so Kafka, Streams and the
 * store are what is measured; {@code minilm}: the default all-MiniLM-L6-v2 on ONNX Runtime, one copy per process).
 */
final class ScaleOutWorkload {

    static final int PARTITIONS = 6;

    private ScaleOutWorkload() {
    }

    static IngestSettings ingestSettings(String prefix) {
        return AppConfig.defaults().ingest().withTopics(List.of(prefix + "changes"), prefix + "updates",
                        prefix + "dead-letters")
                .withBatching(AppConfig.defaults().ingest().batching().withSize(64, Duration.ofMillis(10))
                        .withMaxEmbedTexts(256))
                .withMaxBodyChars(1_000_000).withCollection("bench").withCapturedDocumentsTopic(null);
    }

    static QaSettings qaSettings(String prefix) {
        return AppConfig.defaults().qa().withTopics(prefix + "questions", prefix + "answers", prefix + "dead-letters")
                .withRetrieval(5, 20, -1.0) // every question gets passages: the work per question is the same
                .withBatching(16, Duration.ofMillis(5))
                .withDefaultDeadline(Duration.ofMinutes(10));
    }

    static TextEmbedder embedder(String kind) throws IOException {
        return switch (kind) {
            case "bow" -> new BagOfWordsEmbedder(256);
            // ONNX Runtime's threads: 0 = its default (all cores), as the application runs it
            case "minilm" -> Embedders.open(Embedders.DEFAULT, EmbedderOptions.defaults()
                    .withOnnxThreads(Integer.getInteger("bench.onnxThreads", 0)));
            default -> throw new IllegalArgumentException("embedder must be bow or minilm, not " + kind);
        };
    }
}
