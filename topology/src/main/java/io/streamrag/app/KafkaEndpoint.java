package io.streamrag.app;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.streamrag.app.config.KafkaSettings;
import io.streamrag.kafka.EmbeddedKafkaBroker;
import org.apache.kafka.clients.CommonClientConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka the application talks to: the configured cluster, or, when none is configured, an embedded broker this
 * endpoint owns and stops on {@link #close()}.
 */
public final class KafkaEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaEndpoint.class);

    private final String bootstrapServers;
    private final Optional<EmbeddedKafkaBroker> broker;
    private final Map<String, String> clientProperties;
    private final Duration shutdownTimeout;

    private KafkaEndpoint(String bootstrapServers, Optional<EmbeddedKafkaBroker> broker,
                          Map<String, String> clientProperties, Duration shutdownTimeout) {
        this.bootstrapServers = bootstrapServers;
        this.broker = broker;
        this.clientProperties = clientProperties;
        this.shutdownTimeout = shutdownTimeout;
    }

    /** Starts the embedded broker when {@code kafka.bootstrap.servers} is empty; otherwise just points there. */
    public static KafkaEndpoint open(KafkaSettings settings) {
        if (settings.bootstrapServers().isPresent()) {
            return new KafkaEndpoint(settings.bootstrapServers().get(), Optional.empty(),
                    settings.clientProperties(), settings.shutdownTimeout());
        }
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(settings.brokerDir())
                .port(settings.embeddedPort())
                .build()
                .start();
        return new KafkaEndpoint(broker.bootstrapServers(), Optional.of(broker), Map.of(), settings.shutdownTimeout());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public boolean embedded() {
        return broker.isPresent();
    }

    /**
     * Properties every client needs: bootstrap servers and, for an external cluster, the configured
     * {@code kafka.client.*} settings (security protocol, SASL, TLS). The embedded broker speaks plaintext only.
     */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    /** Stops the embedded broker, waiting at most the shutdown timeout; nothing to do for an external cluster. */
    @Override
    public void close() {
        if (broker.isEmpty()) {
            return;
        }
        ExecutorService stopper = Executors.newSingleThreadExecutor(r -> new Thread(r, "embedded-broker-shutdown"));
        try {
            Future<?> stopped = stopper.submit(broker.get()::close);
            stopped.get(Math.max(1, shutdownTimeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.error("Embedded Kafka broker did not stop within {}; its data in {} may need recovery at next start",
                    shutdownTimeout, broker.get().dataDir());
        } catch (ExecutionException e) {
            log.error("Embedded Kafka broker failed to stop cleanly", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.error("Interrupted while stopping the embedded Kafka broker");
        } finally {
            stopper.shutdownNow();
        }
    }
}
