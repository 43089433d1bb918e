package io.streamrag.cdc;

import io.streamrag.app.config.AppConfig;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.IngestSerdes;
import io.streamrag.ingest.IngestSettings;
import io.streamrag.ingest.IngestTopology;
import io.streamrag.ingest.cdc.CdcFieldMapping;
import io.streamrag.ingest.cdc.CdcFormat;
import io.streamrag.ingest.cdc.CdcSource;
import io.streamrag.kafka.TopicAdmin;
import io.streamrag.kafka.TopicSpec;
import io.streamrag.serde.SpecificAvroSerde;
import io.streamrag.store.VectorStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The ingest topology in Kafka Streams on a real broker, reading the Debezium topic of the sample
 * {@code documents} table (Connect JSON, full envelopes) with the field mapping the app uses by default, and keeping
 * the captured documents for reindex as the app does.
 */
final class IngestPipeline implements AutoCloseable {

    static final String INDEX_UPDATES = "cdc-e2e-index-updates";
    static final String DEAD_LETTERS = "cdc-e2e-dead-letters";
    static final String CAPTURED_DOCUMENTS = "cdc-e2e-captured-documents";

    /** The columns of {@code connectors/sql/documents.sql}; the version comes from the LSN. */
    static final CdcFieldMapping DOCUMENTS = new CdcFieldMapping("id", "title", "body", "tenant", "metadata",
            List.of(), "updated_at", "deleted", "");

    private final KafkaStreams streams;

    IngestPipeline(String bootstrapServers, String registryUrl, TextEmbedder embedder, VectorStore store,
                   Path stateDir) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            new TopicAdmin(admin, Duration.ofSeconds(30)).ensureTopics(List.of(
                    new TopicSpec(INDEX_UPDATES, 1, Optional.empty(), Map.of()),
                    new TopicSpec(DEAD_LETTERS, 1, Optional.empty(), Map.of()),
                    new TopicSpec(CAPTURED_DOCUMENTS, 1, Optional.empty(), Map.of("cleanup.policy", "compact"))));
        }
        IngestSettings settings = AppConfig.defaults().ingest()
                .withCdcSources(List.of(new CdcSource("documents", List.of(PostgresCdc.TOPIC), CdcFormat.JSON, DOCUMENTS)))
                .withTopics(List.of(), INDEX_UPDATES, DEAD_LETTERS).withCollection("cdc-e2e")
                .withCapturedDocumentsTopic(CAPTURED_DOCUMENTS);
        IngestSerdes serdes = new IngestSerdes(serde(DocumentChange.class, registryUrl),
                serde(IndexUpdate.class, registryUrl), serde(DeadLetter.class, registryUrl), null);
        store.ensureCollection(embedder.dimension());

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "cdc-e2e-ingest");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        // IndexUpdates become visible to read_committed readers when the transaction commits (EOS default: 100 ms)
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50);
        // the linger punctuation only runs between polls
        props.put(StreamsConfig.POLL_MS_CONFIG, 5);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 1);
        props.put("schema.registry.url", registryUrl);
        streams = new KafkaStreams(new IngestTopology(settings, serdes, embedder, store, new SimpleMeterRegistry(),
                Clock.systemUTC()).build(), props);
        streams.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR
                    || streams.state() == KafkaStreams.State.PENDING_ERROR) {
                throw new IllegalStateException("Ingest streams did not reach RUNNING: " + streams.state());
            }
            Thread.sleep(20);
        }
    }

    KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(10)));
    }

    private static <T extends SpecificRecord> Serde<T> serde(Class<T> type, String registryUrl) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(Map.of("schema.registry.url", registryUrl), false);
        return serde;
    }
}
