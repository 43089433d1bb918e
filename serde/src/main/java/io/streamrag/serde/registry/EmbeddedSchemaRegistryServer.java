package io.streamrag.serde.registry;

import com.sun.net.httpserver.HttpServer;
import io.streamrag.serde.InMemorySchemaRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Schema Registry of the no-services mode: Confluent's REST API on loopback, so the app and its CLI tools (other
 * JVMs) share one registry through {@code schema.registry.url=http://127.0.0.1:8081}, kept in a journal file under the
 * data directory, so schema ids written into topics stay valid after a restart. A {@code mock://} registry can do
 * neither: it lives in one JVM's memory.
 *
 * <p>Written on the JDK's HTTP server because no registry server is on Maven Central (Confluent's is not published
 * there; Apicurio's has no runnable jar on this mirror), and the API a serde needs is small.
 */
public final class EmbeddedSchemaRegistryServer implements AutoCloseable {

    public static final int DEFAULT_PORT = 8081;
    /** The journal's name inside the registry's directory. */
    public static final String JOURNAL_FILE = "schemas.jsonl";
    private static final int HTTP_THREADS = 4;

    private final HttpServer server;
    private final ExecutorService executor;
    private final SchemaJournal journal;
    private final InMemorySchemaRegistry registry;

    private EmbeddedSchemaRegistryServer(HttpServer server, ExecutorService executor, SchemaJournal journal,
            InMemorySchemaRegistry registry) {
        this.server = server;
        this.executor = executor;
        this.journal = journal;
        this.registry = registry;
    }

    /**
     * Reloads the registry from {@code directory/schemas.jsonl} (created when missing) and serves it on
     * 127.0.0.1:{@code port} (0: any free port, see {@link #port()}).
     *
     * @throws BindException when the port is taken (another registry, or another streamrag, already runs there)
     * @throws IOException when the journal is locked by another process or cannot be read
     */
    public static EmbeddedSchemaRegistryServer start(Path directory, int port) throws IOException {
        Path file = directory.resolve(JOURNAL_FILE);
        SchemaJournal journal = SchemaJournal.open(file);
        ExecutorService executor = null;
        try {
            InMemorySchemaRegistry registry = new InMemorySchemaRegistry("", journal::append);
            journal.replayInto(registry);
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            HttpServer server;
            try {
                server = HttpServer.create(address, 0);
            } catch (BindException e) {
                BindException named = new BindException("Schema Registry cannot listen on " + address
                        + ": the port is in use (another registry or streamrag instance?); choose another port");
                named.initCause(e);
                throw named;
            }
            executor = Executors.newFixedThreadPool(HTTP_THREADS, daemonThreads());
            server.setExecutor(executor);
            server.createContext("/", new ConfluentRestApi(registry, ""));
            server.start();
            return new EmbeddedSchemaRegistryServer(server, executor, journal, registry);
        } catch (IOException | RuntimeException e) {
            if (executor != null) {
                executor.shutdownNow();
            }
            journal.close();
            throw e;
        }
    }

    /** The base URL for {@code schema.registry.url}, e.g. http://127.0.0.1:8081. */
    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Number of distinct subjects, for a start-up log line. */
    public int subjectCount() {
        return registry.subjects().size();
    }

    /** Stops serving (requests in flight are cut off) and releases the journal. */
    @Override
    public void close() throws IOException {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        journal.close();
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "schema-registry-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public String toString() {
        return "EmbeddedSchemaRegistryServer[" + url() + "]";
    }
}
