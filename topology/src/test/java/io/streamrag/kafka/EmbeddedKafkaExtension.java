package io.streamrag.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real {@link EmbeddedKafkaBroker} per test class, in a temporary directory removed afterwards.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
 * ... KAFKA.bootstrapServers() ...
 * }</pre>
 *
 * Register it as a {@code static} field: the broker starts before the first test and stops after the last one.
 * Tests share it, so each test should use its own topic names (see {@link #uniqueTopic}).
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {

    private Path dataDir;
    private EmbeddedKafkaBroker broker;
    private int topicCounter;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("streamrag-kafka-" + context.getRequiredTestClass().getSimpleName());
        broker = EmbeddedKafkaBroker.builder(dataDir).build().start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (broker != null) {
                broker.close();
            }
        } finally {
            deleteRecursively(dataDir);
        }
    }

    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    public EmbeddedKafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("Register EmbeddedKafkaExtension on a static field with @RegisterExtension");
        }
        return broker;
    }

    /** The broker's data directory; a test can put state (e.g. a Streams state dir) next to it. */
    public Path dataDir() {
        return dataDir;
    }

    /** Client properties pointing at this broker, for producers, consumers and admins. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    public Admin admin() {
        return Admin.create(clientProperties());
    }

    /** A topic name not used before in this class's broker. */
    public synchronized String uniqueTopic(String prefix) {
        return prefix + "-" + (++topicCounter);
    }

    static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot delete " + path, e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + root, e);
        }
    }
}
