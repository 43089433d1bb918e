package io.streamrag.app.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where Kafka is and how to talk to it.
 *
 * @param bootstrapServers  empty: run the embedded broker
 * @param clientProperties  applied to every client (security.protocol, sasl.*, ssl.*)
 * @param streamsProperties applied to Kafka Streams only
 * @param transactionTimeout the roles' producers' {@code transaction.timeout.ms}
 * @param maxPollInterval   the roles' consumers' {@code max.poll.interval.ms}
 */
public record KafkaSettings(
        Optional<String> bootstrapServers,
        Path dataDir,
        int embeddedPort,
        Map<String, String> clientProperties,
        Map<String, String> streamsProperties,
        Duration adminTimeout,
        Duration shutdownTimeout,
        Duration transactionTimeout,
        Duration maxPollInterval) {

    public KafkaSettings {
        clientProperties = Map.copyOf(clientProperties);
        streamsProperties = Map.copyOf(streamsProperties);
    }

    /** True when no brokers are configured and the application runs its own. */
    public boolean embedded() {
        return bootstrapServers.isEmpty();
    }

    /** The embedded broker's storage. */
    public Path brokerDir() {
        return dataDir.resolve("kafka");
    }

    /** Kafka Streams state stores, one sub-directory per application id. */
    public Path streamsStateDir() {
        return dataDir.resolve("streams");
    }

    /**
     * Brokers a client command ({@code ask}, {@code load}) should contact: the configured ones, or the embedded
     * broker of an application running on this machine.
     */
    public String clientBootstrapServers() {
        return bootstrapServers.orElse("127.0.0.1:" + embeddedPort);
    }

    /**
     * Settings for a producer, consumer or admin of a client command: {@link #clientBootstrapServers()} plus, for an
     * external cluster, the {@code kafka.client.*} settings (the embedded broker speaks plaintext only).
     */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new java.util.HashMap<>();
        if (!embedded()) {
            config.putAll(clientProperties);
        }
        config.put("bootstrap.servers", clientBootstrapServers());
        return config;
    }

    @Override
    public String toString() {
        return "KafkaSettings[bootstrapServers=" + bootstrapServers.orElse("<embedded>") + ", dataDir=" + dataDir
                + ", embeddedPort=" + embeddedPort
                + ", clientProperties=" + RawConfig.Secrets.masked(clientProperties)
                + ", streamsProperties=" + RawConfig.Secrets.masked(streamsProperties)
                + ", adminTimeout=" + adminTimeout + ", shutdownTimeout=" + shutdownTimeout
                + ", transactionTimeout=" + transactionTimeout + ", maxPollInterval=" + maxPollInterval + "]";
    }
}
