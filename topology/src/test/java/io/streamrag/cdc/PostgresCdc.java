package io.streamrag.cdc;

import io.streamrag.kafka.TopicAdmin;
import io.streamrag.kafka.TopicSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Real change data capture for tests: a real PostgreSQL holding the sample {@code documents} table, and the real
 * Debezium PostgreSQL connector running in a real Kafka Connect worker, writing every committed change to
 * {@value #TOPIC} on the given broker as Connect's JSON converter writes it (keys and values with schemas; a delete
 * is followed by a tombstone).
 *
 * <pre>{@code
 * try (PostgresCdc cdc = PostgresCdc.start(broker.bootstrapServers(), tempDir)) {
 *     cdc.database().execute("UPDATE documents SET body = '...' WHERE id = 'doc-rag'");
 *     ... read cdc.public.documents ...
 * }
 * }</pre>
 *
 * The database files and the worker's offsets live under {@code workDir}, so {@link #stopConnect()} and
 * {@link #startConnect()} restart the capture where it stopped.
 */
final class PostgresCdc implements AutoCloseable {

    /** {@code <topic.prefix>.<schema>.<table>} of the shipped connector config. */
    static final String TOPIC = "cdc.public.documents";
    static final String SLOT = "streamrag_documents";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final DocumentsDatabase database;
    private final String bootstrapServers;
    private final Path offsetsFile;
    private ConnectWorker worker;

    private PostgresCdc(DocumentsDatabase database, String bootstrapServers, Path offsetsFile) {
        this.database = database;
        this.bootstrapServers = bootstrapServers;
        this.offsetsFile = offsetsFile;
    }

    /**
     * Starts PostgreSQL, creates {@value #TOPIC} if missing, then starts Connect and the connector and returns once
     * the connector streams from its replication slot (its snapshot of the existing rows is on the topic by then).
     */
    static PostgresCdc start(String bootstrapServers, Path workDir) throws Exception {
        createTopic(bootstrapServers);
        DocumentsDatabase database = DocumentsDatabase.start(workDir.resolve("postgres"));
        PostgresCdc cdc = new PostgresCdc(database, bootstrapServers, workDir.resolve("connect.offsets"));
        try {
            cdc.startConnect();
        } catch (Exception | Error e) {
            cdc.close();
            throw e;
        }
        return cdc;
    }

    DocumentsDatabase database() {
        return database;
    }

    /** Starts the worker, registers the connector and waits until it streams changes. */
    synchronized void startConnect() throws Exception {
        if (worker != null) {
            throw new IllegalStateException("Kafka Connect is running already");
        }
        worker = ConnectWorker.start(bootstrapServers, offsetsFile);
        worker.putConnector(DocumentsConnectorConfig.NAME, DocumentsConnectorConfig.forTest(database));
        worker.awaitRunning(DocumentsConnectorConfig.NAME, START_TIMEOUT);
        awaitStreaming();
    }

    /** Stops the worker; its task commits the offsets of what it has written first. */
    synchronized void stopConnect() {
        if (worker != null) {
            ConnectWorker stopping = worker;
            worker = null;
            stopping.close();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            stopConnect();
        } finally {
            database.close();
        }
    }

    /**
     * The task reports RUNNING once it has connected; the replication slot becomes active only when the snapshot is
     * done and streaming begins. From then on every commit reaches the topic.
     */
    private void awaitStreaming() throws InterruptedException, SQLException, IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!database.slotActive(SLOT)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Replication slot " + SLOT + " not streaming after " + START_TIMEOUT
                        + "; connector status: " + worker.status(DocumentsConnectorConfig.NAME));
            }
            Thread.sleep(50);
        }
    }

    private static void createTopic(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            new TopicAdmin(admin, Duration.ofSeconds(30))
                    .ensureTopics(List.of(new TopicSpec(TOPIC, 1, Optional.empty(), Map.of())));
        }
    }
}
