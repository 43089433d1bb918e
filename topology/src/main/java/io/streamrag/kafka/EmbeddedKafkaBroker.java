package io.streamrag.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft, combined broker + controller) running inside this JVM, so the application and
 * its integration tests need no external services.
 *
 * <p>The storage directory is formatted on first start only; later starts on the same directory find the same
 * topics, offsets and transactions. The quorum is static ({@code controller.quorum.voters}), which lets both ports
 * change between restarts. Every replication and ISR setting that defaults to 3 is set to 1: with any of them
 * missing, exactly-once Streams applications hang (consumers get nothing or {@code initTransactions} times out).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String HOST = "127.0.0.1";

    /**
     * Settings for one node serving one application, which keep an idle broker from waking itself up (issue 13).
     * <ul>
     *   <li>{@code metadata.max.idle.interval.ms}: the controller appends a no-op record to the metadata log every
     *       500 ms so that followers and brokers can tell a lagging view from a quiet one; each is a raft append,
     *       flush and metadata publication, the largest idle cost of the broker. One node has no one to tell: one a
     *       minute.</li>
     *   <li>{@code num.io.threads} / {@code num.network.threads}: each request handler (8, for the broker and again
     *       for the controller) wakes every 300 ms to look for requests and each network thread (3 per listener)
     *       every 300 ms to poll its sockets, idle or not. One application's clients on one host need two and one:
     *       requests that wait (fetches, produces for acks) are parked in purgatories, not in a handler thread.</li>
     * </ul>
     */
    static final Map<String, String> IDLE_QUIET = Map.of(
            "metadata.max.idle.interval.ms", "60000",
            "num.io.threads", "2",
            "num.network.threads", "1");

    private final Path dataDir;
    private final int requestedPort;
    private final int requestedControllerPort;
    private final Map<String, String> extraBrokerProperties;

    private KafkaRaftServer server;
    private int port;

    private EmbeddedKafkaBroker(Builder builder) {
        this.dataDir = builder.dataDir.toAbsolutePath().normalize();
        this.requestedPort = builder.port;
        this.requestedControllerPort = builder.controllerPort;
        this.extraBrokerProperties = Map.copyOf(builder.extraBrokerProperties);
    }

    /** A broker keeping its data in {@code dataDir}; ports are chosen free at start unless set. */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /**
     * Formats the storage on first use, then starts the broker and controller and returns once it serves requests.
     *
     * @throws IllegalStateException when already started, or when the broker cannot start (port in use, directory
     *                               locked by another broker, storage formatted for another node)
     */
    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            throw new IllegalStateException("Embedded Kafka broker in " + dataDir + " is already running");
        }
        Path logDir = dataDir.resolve("logs");
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the Kafka data directory " + logDir, e);
        }
        int brokerPort = requestedPort > 0 ? requestedPort : freePort();
        int controllerPort = requestedControllerPort > 0 ? requestedControllerPort : freePort();
        Map<String, String> props = brokerProperties(logDir, brokerPort, controllerPort);
        formatOnFirstStart(logDir);

        long startedAt = System.nanoTime();
        KafkaRaftServer candidate = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        try {
            candidate.startup();
        } catch (RuntimeException e) {
            shutDownQuietlyAfterFailedStart(candidate, e);
            throw new IllegalStateException("Embedded Kafka broker failed to start in " + dataDir
                    + " on port " + brokerPort + " (controller " + controllerPort + "): " + e.getMessage(), e);
        }
        server = candidate;
        port = brokerPort;
        log.info("Embedded Kafka broker up at {} with data in {} ({} ms)",
                bootstrapServers(), dataDir, (System.nanoTime() - startedAt) / 1_000_000);
        return this;
    }

    /** {@code host:port} for clients; valid while the broker runs. */
    public synchronized String bootstrapServers() {
        if (server == null) {
            throw new IllegalStateException("Embedded Kafka broker in " + dataDir + " is not running");
        }
        return HOST + ":" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Shuts the broker down and waits until its threads and files are released; safe to call twice. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        KafkaRaftServer stopping = server;
        server = null;
        stopping.shutdown();
        stopping.awaitShutdown();
        log.info("Embedded Kafka broker with data in {} stopped", dataDir);
    }

    Map<String, String> brokerProperties(Path logDir, int brokerPort, int controllerPort) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", BROKER_LISTENER);
        props.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        props.put("listener.security.protocol.map",
                BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("log.dirs", logDir.toString());

        // One node: every internal topic and every produce must be satisfiable with a single replica.
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        // Few partitions for the internal topics: creating 50 of each on one node only slows the first start.
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.num.partitions", "1");
        // A lone Streams instance should not wait 3 s for group members that will never come.
        props.put("group.initial.rebalance.delay.ms", "0");
        // Topics are created on purpose (TopicAdmin, Streams' internal topics); a typo should fail, not create one.
        props.put("auto.create.topics.enable", "false");
        props.putAll(IDLE_QUIET);
        props.putAll(extraBrokerProperties);
        return props;
    }

    private void formatOnFirstStart(Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        String clusterId = Uuid.randomUuid().toString();
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(new LoggingOutputStream(), true, StandardCharsets.UTF_8))
                .setNodeId(NODE_ID)
                .setClusterId(clusterId)
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setMetadataLogDirectory(logDir.toString())
                .addDirectory(logDir.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION);
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka storage in " + logDir, e);
        }
        log.info("Formatted Kafka storage in {} (cluster id {})", logDir, clusterId);
    }

    private static void shutDownQuietlyAfterFailedStart(KafkaRaftServer candidate, RuntimeException cause) {
        try {
            candidate.shutdown();
            candidate.awaitShutdown();
        } catch (RuntimeException shutdownFailure) {
            cause.addSuppressed(shutdownFailure);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free TCP port on " + HOST, e);
        }
    }

    /** The formatter prints to a stream; route its lines to the log instead of stdout. */
    private static final class LoggingOutputStream extends OutputStream {
        private final StringBuilder line = new StringBuilder();

        @Override
        public void write(int b) {
            if (b == '\n') {
                flushLine();
            } else {
                line.append((char) b);
            }
        }

        @Override
        public void flush() {
            flushLine();
        }

        private void flushLine() {
            if (line.length() > 0) {
                log.debug("kafka-storage: {}", line);
                line.setLength(0);
            }
        }
    }

    public static final class Builder {
        private final Path dataDir;
        private int port;
        private int controllerPort;
        private final Map<String, String> extraBrokerProperties = new LinkedHashMap<>();

        private Builder(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        }

        /** Client port; 0 (default) picks a free one at each start. */
        public Builder port(int port) {
            this.port = checkPort(port);
            return this;
        }

        /** Controller (KRaft quorum) port; 0 (default) picks a free one at each start. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = checkPort(controllerPort);
            return this;
        }

        /** A broker setting applied over the defaults, e.g. {@code log.retention.ms}. */
        public Builder brokerProperty(String key, String value) {
            extraBrokerProperties.put(key, value);
            return this;
        }

        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(this);
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("Port must be 0 (free) or 1-65535, got " + port);
            }
            return port;
        }
    }
}
