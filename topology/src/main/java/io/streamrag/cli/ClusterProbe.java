package io.streamrag.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Checks that the app's broker and registry accept connections before a command builds Kafka clients. Without it a
 * client command with nothing running retried for minutes, printed hundreds of connection warnings and then a
 * result that said nothing about why; a TCP connect answers in milliseconds, so the command can print one hint.
 */
final class ClusterProbe {

    /** Each address gets at most this long to accept a connection (a local refusal is immediate anyway). */
    private static final Duration MAX_CONNECT = Duration.ofSeconds(3);

    private ClusterProbe() {
    }

    /** The one-line hint when neither bootstrap server nor the registry accepts a connection; empty when both do. */
    static Optional<String> problem(KafkaConnectionOptions connection, Duration timeout) {
        Duration connect = timeout.compareTo(MAX_CONNECT) < 0 ? timeout : MAX_CONNECT;
        if (!anyAccepts(connection.bootstrapServers(), connect)) {
            return Optional.of("no broker at " + connection.bootstrapServers() + " — is `streamrag run` running?"
                    + " (elsewhere: --bootstrap-servers)");
        }
        Optional<InetSocketAddress> registry = httpAddress(connection.schemaRegistryUrl());
        if (registry.isPresent() && !accepts(registry.get(), connect)) {
            return Optional.of("no schema registry at " + connection.schemaRegistryUrl()
                    + " — is `streamrag run` running? (elsewhere: --schema-registry-url)");
        }
        return Optional.empty();
    }

    static boolean anyAccepts(String bootstrapServers, Duration connect) {
        for (String server : bootstrapServers.split(",")) {
            String trimmed = server.trim();
            int colon = trimmed.lastIndexOf(':');
            if (colon <= 0) {
                return true; // not host:port; let the Kafka client report it in its own words
            }
            String host = trimmed.substring(0, colon).replace("[", "").replace("]", "");
            int port;
            try {
                port = Integer.parseInt(trimmed.substring(colon + 1));
            } catch (NumberFormatException e) {
                return true;
            }
            if (accepts(new InetSocketAddress(host, port), connect)) {
                return true;
            }
        }
        return false;
    }

    /** Only http(s) URLs are probed; mock:// registries live in this JVM. */
    private static Optional<InetSocketAddress> httpAddress(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
                return Optional.empty();
            }
            int port = uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
            return Optional.of(new InetSocketAddress(uri.getHost(), port));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean accepts(InetSocketAddress address, Duration connect) {
        if (address.isUnresolved()) {
            return false;
        }
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) Math.max(1, connect.toMillis()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
