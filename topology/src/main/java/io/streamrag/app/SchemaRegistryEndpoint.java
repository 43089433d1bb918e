package io.streamrag.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.streamrag.app.config.RegistrySettings;
import io.streamrag.serde.registry.EmbeddedSchemaRegistryServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Schema Registry the serdes use: the configured one, or, when none is configured, an embedded registry this
 * endpoint owns (Confluent's REST API on loopback, schemas journaled in {@code <data dir>/schema-registry}, so ids in
 * the topics stay valid across restarts and CLI commands in other JVMs share it).
 */
public final class SchemaRegistryEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryEndpoint.class);

    private final String url;
    private final Optional<EmbeddedSchemaRegistryServer> server;
    private final RegistrySettings settings;

    private SchemaRegistryEndpoint(String url, Optional<EmbeddedSchemaRegistryServer> server,
                                   RegistrySettings settings) {
        this.url = url;
        this.server = server;
        this.settings = settings;
    }

    /**
     * @throws IllegalStateException when the embedded registry cannot start (port taken, journal locked by another
     *                               process)
     */
    public static SchemaRegistryEndpoint open(RegistrySettings settings, Path directory) {
        if (settings.url().isPresent()) {
            return new SchemaRegistryEndpoint(settings.url().get(), Optional.empty(), settings);
        }
        try {
            EmbeddedSchemaRegistryServer server = EmbeddedSchemaRegistryServer.start(directory, settings.embeddedPort());
            log.info("Embedded schema registry at {} with {} subject(s), journal in {}", server.url(),
                    server.subjectCount(), directory.toAbsolutePath());
            return new SchemaRegistryEndpoint(server.url(), Optional.of(server), settings);
        } catch (IOException e) {
            throw new IllegalStateException("Embedded schema registry cannot start in " + directory.toAbsolutePath()
                    + " on port " + settings.embeddedPort() + ": " + e.getMessage(), e);
        }
    }

    public String url() {
        return url;
    }

    public boolean embedded() {
        return server.isPresent();
    }

    /** What every serde of the application is configured with. */
    public Map<String, Object> serdeConfig() {
        return settings.serdeConfig(url);
    }

    @Override
    public void close() {
        if (server.isEmpty()) {
            return;
        }
        try {
            server.get().close();
        } catch (IOException e) {
            log.error("Embedded schema registry did not stop cleanly", e);
        }
    }
}
