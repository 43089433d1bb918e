package io.streamrag.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.IngestSettings;
import io.streamrag.ingest.IngestStreams;
import io.streamrag.qa.QaInstances;
import io.streamrag.qa.QaSettings;
import io.streamrag.store.VectorStore;
import io.streamrag.store.qdrant.QdrantConfig;
import io.streamrag.store.qdrant.QdrantVectorStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * One ingest or QA instance in its own process, for {@link ScaleOutBench}: the rigs of the scale-out ITs
 * ({@link IngestStreams}, {@link QaInstances}) with its own model copy and Qdrant client, so its CPU time is the
 * process's and it can be killed with SIGKILL. Talks to the driver on stdout: {@code @@ <state>} on every change of
 * its Streams state, as {@code @@ RUNNING <partitions>} once a rebalance settles (the input partitions it owns), and
 * {@code @@ STOPPED} after a SIGTERM closed it cleanly (leaving the group).
 *
 * <pre>
 * ScaleOutInstance ingest|qa BOOTSTRAP REGISTRY_URL QDRANT_HOST QDRANT_PORT COLLECTION PREFIX CLIENT_ID STATE_DIR
 *     bow|minilm SESSION_TIMEOUT_MS TRANSACTION_TIMEOUT_MS
 * </pre>
 */
public final class ScaleOutInstance {

    private ScaleOutInstance() {
    }

    public static void main(String[] args) throws Exception {
        String role = args[0];
        String bootstrap = args[1];
        String registry = args[2];
        QdrantConfig qdrant = QdrantConfig.of(args[3], Integer.parseInt(args[4]), args[5]);
        String prefix = args[6];
        String clientId = args[7];
        Path stateDir = Path.of(args[8]);
        TextEmbedder embedder = ScaleOutWorkload.embedder(args[9]);
        Duration sessionTimeout = Duration.ofMillis(Long.parseLong(args[10]));
        Map<String, Object> overrides = Map.of(
                StreamsConfig.CLIENT_ID_CONFIG, clientId,
                StreamsConfig.consumerPrefix("session.timeout.ms"), (int) sessionTimeout.toMillis(),
                StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), Integer.parseInt(args[11]));
        VectorStore store = QdrantVectorStore.connect(qdrant);
        String inputTopic;
        KafkaStreams streams;
        if (role.equals("ingest")) {
            IngestSettings settings = ScaleOutWorkload.ingestSettings(prefix);
            inputTopic = settings.documentChangeTopics().get(0);
            streams = IngestStreams.start(bootstrap, prefix + "ingest", stateDir, settings, registry, embedder, store,
                    new SimpleMeterRegistry(), exception -> StreamThreadExceptionResponse.SHUTDOWN_CLIENT, overrides);
        } else {
            QaSettings settings = ScaleOutWorkload.qaSettings(prefix);
            inputTopic = settings.questionsTopic();
            streams = new QaInstances(bootstrap, registry, settings, sessionTimeout)
                    .start(clientId, stateDir, embedder, store, overrides);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            QaInstances.stop(streams); // leaves the group: a clean stop hands the partitions over at once
            store.close();
            embedder.close();
            report("STOPPED");
            stopped.countDown();
        }, "scale-out-instance-stop"));
        // the rigs start the instance themselves, so its state is watched rather than listened to
        String last = "";
        while (!stopped.await(20, TimeUnit.MILLISECONDS)) {
            KafkaStreams.State state = streams.state();
            String now = state == KafkaStreams.State.RUNNING ? "RUNNING " + owned(streams, inputTopic)
                    : state.name();
            if (!now.equals(last)) {
                report(now);
                last = now;
            }
        }
    }

    /** The input partitions this instance's stream threads own, e.g. {@code 0,3}. */
    private static String owned(KafkaStreams streams, String inputTopic) {
        TreeSet<Integer> partitions = new TreeSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            thread.activeTasks().forEach(task -> task.topicPartitions().stream()
                    .filter(partition -> partition.topic().equals(inputTopic))
                    .map(TopicPartition::partition).forEach(partitions::add));
        }
        return partitions.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static synchronized void report(String line) {
        System.out.println("@@ " + line);
        System.out.flush();
    }
}
