package io.streamrag.cli;

import io.streamrag.contracts.DocumentChange;
import io.streamrag.qa.freshness.ConsistencyToken;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code load PATH}: publishes the documents of a folder (.txt/.md) or a JSONL file as DocumentChange events keyed
 * by document id (see {@link DocumentFiles}). Exit codes: 0 all published, 1 some failed, 2 nothing could be read.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Publish documents from a folder of .txt/.md files or a JSONL file as document changes.")
public final class LoadCommand implements Callable<Integer> {

    public static final String DEFAULT_DOCUMENTS_TOPIC = "streamrag.documents";
    public static final String DEFAULT_INDEX_UPDATES_TOPIC = "streamrag.index-updates";

    @Mixin
    KafkaConnectionOptions connection;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATH", description = "A folder of .txt/.md files, a .jsonl file, or one text file.")
    Path path;

    @Option(names = "--tenant", description = "Tenant of the documents (a JSONL line's own tenant wins).")
    String tenant;

    @Option(names = "--documents-topic", defaultValue = DEFAULT_DOCUMENTS_TOPIC,
            description = "Document changes topic (default: ${DEFAULT-VALUE}).")
    String documentsTopic;

    @Option(names = "--no-progress", description = "Do not draw the progress bar.")
    boolean noProgress;

    @Option(names = "--timeout", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long the broker may take to acknowledge the documents (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--wait", description = "After publishing, wait (up to --wait-timeout) until the documents are"
            + " searchable, learnt from the index-updates topic.")
    boolean await;

    @Option(names = "--wait-timeout", defaultValue = "120s", converter = DurationConverter.class,
            description = "How long --wait waits for the documents to be searchable (default: ${DEFAULT-VALUE}).")
    Duration waitTimeout;

    @Option(names = "--index-updates-topic", defaultValue = DEFAULT_INDEX_UPDATES_TOPIC,
            description = "Index updates topic --wait follows (default: ${DEFAULT-VALUE}).")
    String indexUpdatesTopic;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CliLogging.quietKafkaClients();
        connection.warnIfInProcessRegistry(err);
        if (!Files.exists(path)) {
            err.println("cannot load " + path + ": no such file or folder");
            return 2;
        }
        List<DocumentChange> documents;
        try {
            documents = DocumentFiles.read(path, tenant);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println("cannot load " + path + ": " + e.getMessage());
            return 2;
        }
        Optional<String> unreachable = ClusterProbe.problem(connection, timeout);
        if (unreachable.isPresent()) {
            err.println(unreachable.get());
            return 2;
        }

        IndexUpdateWatcher watcher = null;
        if (await) {
            try { // opened before sending: an update of these documents cannot slip in between
                watcher = IndexUpdateWatcher.openAtEnd(connection, indexUpdatesTopic, timeout);
            } catch (RuntimeException e) {
                err.println("cannot --wait: " + e.getMessage());
                return 2;
            }
        }
        try {
            return publish(documents, out, err, watcher);
        } finally {
            if (watcher != null) {
                watcher.close();
            }
        }
    }

    private int publish(List<DocumentChange> documents, PrintWriter out, PrintWriter err,
                        IndexUpdateWatcher watcher) {
        // counted in the producer's callbacks: only what the broker acknowledged is "published"
        AtomicInteger acknowledged = new AtomicInteger();
        ConcurrentLinkedQueue<DocumentChange> published = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean finished = new AtomicBoolean();
        Thread interrupted = new Thread(() -> {
            if (!finished.get()) {
                err.printf("%ninterrupted: %d of %d documents acknowledged by %s (the rest may or may not have"
                        + " arrived; loading again is safe, document ids are keys)%n", acknowledged.get(),
                        documents.size(), connection.bootstrapServers());
                err.flush();
            }
        }, "streamrag-load-interrupted");
        Runtime.getRuntime().addShutdownHook(interrupted);
        try (KafkaProducer<String, DocumentChange> producer = producer();
             ProgressBar progress = progressBar(documents.size())) {
            for (DocumentChange document : documents) {
                producer.send(new ProducerRecord<>(documentsTopic, document.getDocumentId(), document),
                        (metadata, error) -> {
                            if (error != null) {
                                failures.add(document.getDocumentId() + ": " + error.getMessage());
                                return;
                            }
                            acknowledged.incrementAndGet();
                            published.add(document);
                            if (progress != null) {
                                progress.step();
                            }
                        });
            }
            producer.flush();
        } catch (KafkaException e) {
            failures.add(e.getMessage());
        } finally {
            finished.set(true);
            removeHook(interrupted);
        }
        failures.stream().distinct().limit(5).forEach(failure -> err.println("failed: " + failure));
        if (failures.size() > 5) {
            err.println("... and " + (failures.size() - 5) + " more failures");
        }
        out.printf("published %d of %d documents to %s%n", acknowledged.get(), documents.size(), documentsTopic);
        ConsistencyToken token = ConsistencyToken.empty();
        for (DocumentChange document : published) {
            token = token.with(document.getDocumentId(), document.getVersion());
        }
        if (!token.isEmpty()) {
            out.println("consistency token: " + token);
        }
        out.flush();
        int status = acknowledged.get() == documents.size() ? 0 : 1;
        if (watcher == null || token.isEmpty()) {
            return status;
        }
        List<String> missing = watcher.await(token, waitTimeout);
        if (!missing.isEmpty()) {
            err.printf("not searchable after %s: %d of %d documents, e.g. %s%n", waitTimeout, missing.size(),
                    token.versions().size(), String.join(", ", missing.subList(0, Math.min(5, missing.size()))));
            return 1;
        }
        out.println("searchable: all " + token.versions().size() + " documents");
        out.flush();
        return status;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is running and prints the count
        }
    }

    private ProgressBar progressBar(int total) {
        if (noProgress) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName("load").setInitialMax(total).setUnit(" docs", 1)
                .setStyle(ProgressBarStyle.ASCII).continuousUpdate().build();
    }

    private KafkaProducer<String, DocumentChange> producer() {
        Map<String, Object> config = new HashMap<>(connection.producerConfig(timeout));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "streamrag-cli-load");
        return new KafkaProducer<>(config, new StringSerializer(),
                CliSerdes.valueSerde(DocumentChange.class, connection).serializer());
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadCommand()).execute(args));
    }
}
