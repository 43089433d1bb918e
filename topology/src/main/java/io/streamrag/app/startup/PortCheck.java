package io.streamrag.app.startup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import io.streamrag.app.config.AppConfig;
import io.streamrag.app.config.ConfigCatalog;

/**
 * Probes the ports the application will listen on before anything starts. Without it a busy 9092 surfaces as ~200
 * lines of broker errors after the broker has half started; with it, one line names the port and the key to change.
 * Binding (then closing) a socket on the very address the server will use is the only reliable probe: a connect
 * would miss a port bound to another interface.
 */
public final class PortCheck {

    /** A port the application means to bind, and the setting that chose it. */
    public record Listener(String what, String host, int port, String key) {
    }

    private PortCheck() {
    }

    /** The fixed ports of this configuration: embedded broker, embedded registry, metrics (0 and -1 need no probe). */
    public static List<Listener> listeners(AppConfig config) {
        List<Listener> listeners = new ArrayList<>();
        if (config.kafka().embedded() && config.kafka().embeddedPort() > 0) {
            listeners.add(new Listener("the embedded Kafka broker", "127.0.0.1", config.kafka().embeddedPort(),
                    ConfigCatalog.KAFKA_EMBEDDED_PORT));
        }
        if (config.registry().embedded() && config.registry().embeddedPort() > 0) {
            listeners.add(new Listener("the embedded schema registry", "127.0.0.1", config.registry().embeddedPort(),
                    ConfigCatalog.SCHEMA_REGISTRY_EMBEDDED_PORT));
        }
        if (config.metrics().port() > 0) {
            listeners.add(new Listener("metrics and health", "0.0.0.0", config.metrics().port(),
                    ConfigCatalog.METRICS_PORT));
        }
        return listeners;
    }

    /** @throws StartupException for the first port that cannot be bound, naming it and its setting */
    public static void requireFree(List<Listener> listeners) {
        for (Listener listener : listeners) {
            try (ServerSocket socket = new ServerSocket()) {
                // the servers set SO_REUSEADDR too: a port in TIME_WAIT after our own restart is not "busy"
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(listener.host(), listener.port()), 1);
            } catch (IOException e) {
                throw new StartupException("port " + listener.port() + " for " + listener.what() + " is in use ("
                        + listener.key() + "=" + listener.port() + "): is another streamrag or Kafka running? Stop it,"
                        + " or set " + listener.key() + " to a free port (0 picks one)");
            }
        }
    }
}
