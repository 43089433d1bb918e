package io.streamrag.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.streamrag.contracts.Answer;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.contracts.Operation;
import io.streamrag.contracts.Question;
import io.streamrag.serde.SpecificAvroSerde;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Answer latency and ingest freshness of a running {@code streamrag run} for questions and document changes that each
 * arrive after the app has been idle (issue 13): the case an idle-poll change could slow down. Each question is sent
 * after {@code pause} of rest; its latency runs from the send until the committed answer is read (what {@code ask}
 * waits for, exactly-once commit included), next to the app's own {@code timings.totalMs}. Then as many new
 * documents, each after {@code pause}: from the send until the committed {@code IndexUpdate} is read (what
 * {@code load --wait} and read-your-writes wait for). Not a test: prints two Markdown table rows.
 *
 * <pre>
 * java ... io.streamrag.bench.IdleLatencyBench BOOTSTRAP REGISTRY_URL [questions, 20] [pause ms, 3000] [label]
 * </pre>
 */
public final class IdleLatencyBench {

    private static final String QUESTIONS = "streamrag.questions";
    private static final String ANSWERS = "streamrag.answers";
    private static final String DOCUMENTS = "streamrag.documents";
    private static final String INDEX_UPDATES = "streamrag.index-updates";

    private IdleLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        Map<String, Object> serdeConfig = Map.of("schema.registry.url", args[1]);
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        long pauseMs = args.length > 3 ? Long.parseLong(args[3]) : 3000;
        String label = args.length > 4 ? args[4] : "run";

        Map<String, Object> producerProps = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0);
        List<Long> answerMs = new ArrayList<>();
        List<Long> inApp = new ArrayList<>();
        try (KafkaProducer<String, Question> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                     serde(Question.class, serdeConfig).serializer());
             KafkaConsumer<String, Answer> answers = atEnd(ANSWERS, bootstrap, serde(Answer.class, serdeConfig))) {
            for (int i = 0; i < count; i++) {
                Thread.sleep(pauseMs);
                String id = UUID.randomUUID().toString();
                long sentAt = System.nanoTime();
                producer.send(new ProducerRecord<>(QUESTIONS, id, Question.newBuilder().setQuestionId(id)
                        .setText("How tall is Mount Etna?").setRequestedAt(Instant.now()).build())).get();
                Answer answer = await(answers, a -> id.equals(a.getQuestionId()), sentAt);
                answerMs.add((System.nanoTime() - sentAt) / 1_000_000);
                inApp.add(answer.getTimings().getTotalMs());
            }
        }
        List<Long> indexedMs = new ArrayList<>();
        try (KafkaProducer<String, DocumentChange> producer = new KafkaProducer<>(producerProps,
                     new StringSerializer(), serde(DocumentChange.class, serdeConfig).serializer());
             KafkaConsumer<String, IndexUpdate> updates =
                     atEnd(INDEX_UPDATES, bootstrap, serde(IndexUpdate.class, serdeConfig))) {
            for (int i = 0; i < count; i++) {
                Thread.sleep(pauseMs);
                String id = "idle-bench-" + UUID.randomUUID();
                long sentAt = System.nanoTime();
                producer.send(new ProducerRecord<>(DOCUMENTS, id, DocumentChange.newBuilder()
                        .setOperation(Operation.CREATE).setDocumentId(id).setVersion(1).setTitle("Bench " + i)
                        .setBody("A short document written after a rest, number " + i + ".")
                        .setEventTime(Instant.now()).build())).get();
                await(updates, u -> id.equals(u.getDocumentId()), sentAt);
                indexedMs.add((System.nanoTime() - sentAt) / 1_000_000);
            }
        }
        System.out.printf("| %s | answer | %d | %d | %d | %d | %d | %d | %s |%n", label, count, pauseMs,
                percentile(answerMs, 50), percentile(answerMs, 90), max(answerMs), percentile(inApp, 50),
                Arrays.toString(answerMs.toArray()));
        System.out.printf("| %s | indexed | %d | %d | %d | %d | %d | - | %s |%n", label, count, pauseMs,
                percentile(indexedMs, 50), percentile(indexedMs, 90), max(indexedMs),
                Arrays.toString(indexedMs.toArray()));
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> SpecificAvroSerde<T> serde(
            Class<T> type, Map<String, Object> serdeConfig) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(serdeConfig, false);
        return serde;
    }

    /** A read_committed consumer positioned at the end of {@code topic}. */
    private static <T extends org.apache.avro.specific.SpecificRecord> KafkaConsumer<String, T> atEnd(
            String topic, String bootstrap, SpecificAvroSerde<T> serde) {
        KafkaConsumer<String, T> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "idle-latency-bench-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                // the bench's own fetches should not add to what is measured: back quickly when a record lands
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100), new StringDeserializer(), serde.deserializer());
        consumer.subscribe(List.of(topic));
        while (consumer.assignment().isEmpty()) {
            consumer.poll(Duration.ofMillis(100));
        }
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
        return consumer;
    }

    private static <T> T await(KafkaConsumer<String, T> consumer, java.util.function.Predicate<T> wanted,
                               long sentAt) {
        long giveUpAt = sentAt + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < giveUpAt) {
            for (ConsumerRecord<String, T> record : consumer.poll(Duration.ofMillis(20))) {
                if (record.value() != null && wanted.test(record.value())) {
                    return record.value();
                }
            }
        }
        throw new IllegalStateException("nothing within 60 s");
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
