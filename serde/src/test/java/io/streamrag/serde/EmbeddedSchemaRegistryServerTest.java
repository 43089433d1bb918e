package io.streamrag.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrag.serde.samples.Reply;
import io.streamrag.serde.samples.Query;
import io.streamrag.serde.registry.EmbeddedSchemaRegistryServer;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded registry as the app and its CLI tools use it: separate clients (as separate JVMs would hold) register
 * and read through its REST API, and what was registered, with the same ids, is there again after a restart on the
 * same data directory.
 */
class EmbeddedSchemaRegistryServerTest {

    private static final Schema PERSON = TestSchemas.record("Person", "name");
    private static final Schema PERSON_V2 = TestSchemas.withField(PERSON,
            new Schema.Field("email", Schema.create(Schema.Type.STRING), null, "unknown"));

    @TempDir
    Path dataDirectory;

    private EmbeddedSchemaRegistryServer server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static RestSchemaRegistryClient client(String url) {
        return new RestSchemaRegistryClient(RegistryClientConfig.from(Map.of(RegistryClientConfig.URL, url)));
    }

    private EmbeddedSchemaRegistryServer restart(int port) throws IOException {
        server.close();
        server = EmbeddedSchemaRegistryServer.start(dataDirectory, port);
        return server;
    }

    @Test
    void idsVersionsAndSchemasSurviveARestartOnTheSameDataDirectory() throws IOException {
        server = EmbeddedSchemaRegistryServer.start(dataDirectory, 0);
        int port = server.port();
        RestSchemaRegistryClient producer = client(server.url());
        int person = producer.register("people-value", PERSON);
        int question = producer.register("questions-value", Query.getClassSchema());
        int personV2 = producer.register("people-value", PERSON_V2);
        int shared = producer.register("staff-value", PERSON);

        restart(port);
        RestSchemaRegistryClient reader = client(server.url());

        assertThat(server.url()).isEqualTo("http://127.0.0.1:" + port);
        assertThat(reader.schemaById(person)).isEqualTo(PERSON);
        assertThat(reader.schemaById(question)).isEqualTo(Query.getClassSchema());
        assertThat(reader.schemaById(personV2)).isEqualTo(PERSON_V2);
        assertThat(reader.latest("people-value")).isEqualTo(new RegisteredSchema("people-value", 2, personV2, PERSON_V2));
        assertThat(reader.lookUpId("staff-value", PERSON)).isEqualTo(shared).isEqualTo(person);
        assertThat(reader.register("questions-value", Query.getClassSchema()))
                .as("re-registering after the restart is still a no-op").isEqualTo(question);
        assertThat(reader.latest("questions-value").version()).isEqualTo(1);
        int answer = reader.register("answers-value", Reply.getClassSchema());
        assertThat(answer).as("a new schema after the restart gets a fresh id, not a reused one")
                .isNotIn(person, question, personV2);
        assertThat(server.subjectCount()).isEqualTo(4);
    }

    @Test
    void theSerdeWritesBeforeARestartAndReadsAfterIt() throws IOException {
        server = EmbeddedSchemaRegistryServer.start(dataDirectory, 0);
        int port = server.port();
        SpecificAvroSerde<Query> producer = new SpecificAvroSerde<>(Query.class);
        producer.configure(Map.of(RegistryClientConfig.URL, server.url()), false);
        byte[] bytes = producer.serializer().serialize("questions", SerdeSamples.query());

        restart(port);
        SpecificAvroSerde<Query> consumer = new SpecificAvroSerde<>(Query.class);
        consumer.configure(Map.of(RegistryClientConfig.URL, server.url()), false);

        assertThat(consumer.deserializer().deserialize("questions", bytes)).isEqualTo(SerdeSamples.query());
        assertThat(WireFormat.readHeader(bytes, "questions").schemaId()).isEqualTo(client(server.url()).latest("questions-value").id());
    }

    @Test
    void concurrentRegistrationsGetOneIdPerSchemaAndConsecutiveVersions() throws Exception {
        server = EmbeddedSchemaRegistryServer.start(dataDirectory, 0);
        int threads = 8;
        int perThread = 5;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Map<Schema, Integer>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    RestSchemaRegistryClient client = client(server.url());
                    Map<Schema, Integer> ids = new HashMap<>();
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        // every thread registers the same shared schema and its own versions of one subject
                        ids.put(PERSON, client.register("shared-value", PERSON));
                        Schema own = evolving(thread, i);
                        ids.put(own, client.register("evolving-value", own));
                    }
                    return ids;
                }));
            }
            start.countDown();
            Map<Schema, Integer> idBySchema = new HashMap<>();
            for (Future<Map<Schema, Integer>> result : results) {
                for (var entry : result.get().entrySet()) {
                    Integer previous = idBySchema.putIfAbsent(entry.getKey(), entry.getValue());
                    assertThat(previous).as("one id for " + entry.getKey()).isIn(null, entry.getValue());
                }
            }

            assertThat(idBySchema).hasSize(1 + threads * perThread);
            assertThat(new HashSet<>(idBySchema.values())).as("distinct schemas, distinct ids").hasSize(idBySchema.size());
            restart(server.port());
            RestSchemaRegistryClient reader = client(server.url());
            assertThat(reader.latest("evolving-value").version()).isEqualTo(threads * perThread);
            assertThat(reader.latest("shared-value").version()).isEqualTo(1);
            idBySchema.forEach((schema, id) -> assertThat(reader.schemaById(id)).isEqualTo(schema));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Versions of one record, each with its own optional field: any of them can read any other (BACKWARD). */
    private static Schema evolving(int thread, int index) {
        return TestSchemas.withField(TestSchemas.record("Evolving", "name"),
                new Schema.Field("f" + thread + "_" + index, Schema.create(Schema.Type.STRING), null, ""));
    }

    @Test
    void aSecondRegistryOnTheSameDataDirectoryOrPortIsRefused() throws IOException {
        server = EmbeddedSchemaRegistryServer.start(dataDirectory, 0);

        assertThatThrownBy(() -> EmbeddedSchemaRegistryServer.start(dataDirectory, 0))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(EmbeddedSchemaRegistryServer.JOURNAL_FILE)
                .hasMessageContaining("in use");
        assertThatThrownBy(() -> EmbeddedSchemaRegistryServer.start(dataDirectory.resolve("other"), server.port()))
                .isInstanceOf(BindException.class)
                .hasMessageContaining(String.valueOf(server.port()));
        // the refused starts released what they took: the first registry still works, the other directory is free
        assertThat(client(server.url()).register("people-value", PERSON)).isPositive();
        EmbeddedSchemaRegistryServer.start(dataDirectory.resolve("other"), 0).close();
    }
}
