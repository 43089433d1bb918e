package io.streamrag.bench;

import io.streamrag.app.config.AppConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.contracts.Operation;
import io.streamrag.inference.embed.EmbedderOptions;
import io.streamrag.inference.embed.Embedders;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.IngestSettings;
import io.streamrag.ingest.IngestStreams;
import io.streamrag.ingest.batch.BatchingSettings;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.kafka.EmbeddedKafkaBroker;
import io.streamrag.store.VectorStore;
import io.streamrag.store.lucene.LuceneVectorStore;
import io.streamrag.store.qdrant.QdrantGrpcDouble;
import io.streamrag.store.qdrant.QdrantVectorStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * Ingest throughput and freshness through the whole topology: embedded KRaft broker, exactly_once_v2, the default
 * all-MiniLM-L6-v2 (ONNX Runtime, CPU), once with the Lucene store and once with the in-process Qdrant gRPC double.
 * Documents are the SQuAD 2.0 dev paragraphs of {@code /work/shared/data} (or {@code -Dbench.squad=...}).
 *
 * <p>Saturation: all documents are produced before the topology starts; documents/s and chunks/s are taken from
 * the topology reaching RUNNING to the last document applied, with the embedder's share of that time. Freshness:
 * then documents are produced at half the saturated rate for a while, and applied time minus event time is
 * measured on their index updates.
 *
 * <pre>
 * ./mvnw -B -o -q -pl topology -am test-compile
 * ./mvnw -B -o -q -pl topology dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp
 * java -Xmx6g -Dai.djl.offline=true -cp topology/target/test-classes:topology/target/classes:\
 *   inference/target/classes:schemas/target/classes:$(cat topology/target/bench.cp) \
 *   io.streamrag.bench.IngestBench 400 20
 * </pre>
 * Arguments: documents for the saturation run (default 600), seconds of steady load (default 20).
 */
public final class IngestBench {

    private static final String REGISTRY = "mock://ingest-bench";
    // the chunking and batching the figures in docs/benchmarks.md were measured with (not the production defaults)
    static final ChunkingSettings CHUNKING = new ChunkingSettings(128, 32);
    static final BatchingSettings BATCHING = AppConfig.defaults().ingest().batching()
            .withSize(64, Duration.ofMillis(10)).withMaxEmbedTexts(256);

    private IngestBench() {
    }

    record Row(String store, int documents, long chunks, double seconds, double embedSeconds, double meanBatch,
               double steadyRate, int steadyDocuments, long p50, long p99) {
    }

    public static void main(String[] args) throws Exception {
        int documents = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        int steadySeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        List<String[]> paragraphs = paragraphs(Path.of(System.getProperty("bench.squad",
                "/work/shared/data/squad-v2-dev-subset.json")));
        Path work = Files.createTempDirectory("ingest-bench");
        List<Row> rows = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(work.resolve("kafka")).build().start();
             TextEmbedder embedder = Embedders.open("default", EmbedderOptions.defaults()
                     .withMeterRegistry(new SimpleMeterRegistry()))) {
            embedder.embed(List.of("warm up the model")); // first call pays for graph optimisation
            rows.add(run("lucene", () -> LuceneVectorStore.open(work.resolve("lucene")), broker, embedder,
                    paragraphs, documents, steadySeconds, work));
            try (QdrantGrpcDouble qdrant = QdrantGrpcDouble.start()) {
                rows.add(run("qdrant (gRPC double)", () -> QdrantVectorStore.connect(qdrant.config("bench")),
                        broker, embedder, paragraphs, documents, steadySeconds, work));
            }
        }
        print(rows, Runtime.getRuntime().availableProcessors());
    }

    private static Row run(String name, Supplier<VectorStore> stores, EmbeddedKafkaBroker broker,
                           TextEmbedder embedder, List<String[]> paragraphs, int documents, int steadySeconds,
                           Path work) throws Exception {
        String tag = name.replaceAll("[^a-z]", "");
        String changes = "bench-changes-" + tag;
        String updates = "bench-updates-" + tag;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(changes, 1, (short) 1), new NewTopic(updates, 1, (short) 1),
                    new NewTopic("bench-dead-letters-" + tag, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        IngestSettings settings = AppConfig.defaults().ingest()
                .withTopics(List.of(changes), updates, "bench-dead-letters-" + tag).withChunking(CHUNKING)
                .withBatching(BATCHING).withMaxBodyChars(1_000_000).withCollection("bench")
                .withCapturedDocumentsTopic(null);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (VectorStore store = stores.get();
             KafkaProducer<String, DocumentChange> producer = IngestStreams.producer(broker.bootstrapServers(),
                     REGISTRY);
             KafkaConsumer<String, IndexUpdate> watcher = IngestStreams.updatesConsumer(broker.bootstrapServers(),
                     REGISTRY, updates)) {
            store.ensureCollection(embedder.dimension());
            for (int i = 0; i < documents; i++) {
                producer.send(new ProducerRecord<>(changes, "sat-" + i, document("sat-" + i, paragraphs, i)));
            }
            producer.flush();

            KafkaStreams streams = IngestStreams.start(broker.bootstrapServers(), "bench-ingest-" + tag,
                    work.resolve("state-" + tag), settings, REGISTRY, embedder, store, meters,
                    exception -> StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
            try {
                IngestStreams.awaitRunning(streams, Duration.ofSeconds(60));
                Instant running = Instant.now();
                List<IndexUpdate> saturated = collect(watcher, documents, Duration.ofMinutes(20));
                Instant last = saturated.stream().map(IndexUpdate::getAppliedTime).max(Instant::compareTo)
                        .orElseThrow();
                double seconds = Duration.between(running, last).toMillis() / 1000.0;
                long chunks = saturated.stream().mapToLong(IndexUpdate::getChunkCount).sum();
                Timer embed = meters.find("streamrag.ingest.embed").timer();
                double embedSeconds = embed.totalTime(TimeUnit.MILLISECONDS) / 1000.0;
                DistributionSummary batch = meters.find("streamrag.ingest.batch.documents").summary();
                double meanBatch = batch.mean();

                double rate = documents / seconds / 2;
                List<Long> freshness = steady(producer, watcher, changes, paragraphs, rate, steadySeconds);
                Collections.sort(freshness);
                return new Row(name, documents, chunks, seconds, embedSeconds, meanBatch, rate, freshness.size(),
                        percentile(freshness, 0.50), percentile(freshness, 0.99));
            } finally {
                IngestStreams.close(streams);
            }
        }
    }

    /** Produces at {@code rate} documents/s and returns applied-minus-event milliseconds of each. */
    private static List<Long> steady(KafkaProducer<String, DocumentChange> producer,
                                     KafkaConsumer<String, IndexUpdate> watcher, String topic,
                                     List<String[]> paragraphs, double rate, int seconds) {
        int total = Math.max(1, (int) (rate * seconds));
        long intervalNanos = (long) (1e9 / rate);
        long start = System.nanoTime();
        List<Long> freshness = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            while (System.nanoTime() < due) {
                drain(watcher, freshness, Duration.ofMillis(1));
            }
            String id = "steady-" + i;
            producer.send(new ProducerRecord<>(topic, id, document(id, paragraphs, i + 7)));
        }
        producer.flush();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (freshness.size() < total && System.nanoTime() < deadline) {
            drain(watcher, freshness, Duration.ofMillis(100));
        }
        return freshness;
    }

    private static void drain(KafkaConsumer<String, IndexUpdate> watcher, List<Long> freshness, Duration wait) {
        for (ConsumerRecord<String, IndexUpdate> record : watcher.poll(wait)) {
            if (record.key().startsWith("steady-")) {
                IndexUpdate update = record.value();
                freshness.add(Duration.between(update.getSourceTime(), update.getAppliedTime()).toMillis());
            }
        }
    }

    private static List<IndexUpdate> collect(KafkaConsumer<String, IndexUpdate> watcher, int count,
                                             Duration timeout) {
        List<IndexUpdate> updates = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (updates.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + updates.size() + " of " + count + " documents applied");
            }
            for (ConsumerRecord<String, IndexUpdate> record : watcher.poll(Duration.ofMillis(200))) {
                updates.add(record.value());
            }
        }
        return updates;
    }

    static DocumentChange document(String id, List<String[]> paragraphs, int i) {
        String[] paragraph = paragraphs.get(i % paragraphs.size());
        return DocumentChange.newBuilder()
                .setOperation(Operation.CREATE)
                .setDocumentId(id)
                .setVersion(1)
                .setTitle(paragraph[0])
                .setBody(paragraph[1])
                .setTenant("bench")
                .setMetadata(Map.of())
                .setEventTime(Instant.now())
                .build();
    }

    static List<String[]> paragraphs(Path squad) throws Exception {
        List<String[]> paragraphs = new ArrayList<>();
        for (JsonNode article : new ObjectMapper().readTree(squad.toFile()).get("data")) {
            for (JsonNode paragraph : article.get("paragraphs")) {
                paragraphs.add(new String[] {article.get("title").asText(), paragraph.get("context").asText()});
            }
        }
        return paragraphs;
    }

    private static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static void print(List<Row> rows, int cores) {
        System.out.printf("%nIngest throughput and freshness (all-MiniLM-L6-v2 ONNX on CPU, %d cores, chunk %d/%d tokens,"
                + " batch <= %d docs, linger %d ms)%n%n", cores, CHUNKING.chunkTokens(), CHUNKING.overlapTokens(),
                BATCHING.maxDocuments(), BATCHING.linger().toMillis());
        System.out.println("| store | docs | chunks | wall s | docs/s | chunks/s | embed share | mean batch docs"
                + " | steady docs/s | freshness p50 ms | freshness p99 ms |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Row row : rows) {
            System.out.printf("| %s | %d | %d | %.1f | %.1f | %.1f | %.0f%% | %.1f | %.1f (%d docs) | %d | %d |%n",
                    row.store(), row.documents(), row.chunks(), row.seconds(), row.documents() / row.seconds(),
                    row.chunks() / row.seconds(), 100 * row.embedSeconds() / row.seconds(), row.meanBatch(),
                    row.steadyRate(), row.steadyDocuments(), row.p50(), row.p99());
        }
    }
}
