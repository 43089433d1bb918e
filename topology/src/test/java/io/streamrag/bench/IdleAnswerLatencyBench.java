package io.streamrag.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.streamrag.contracts.Answer;
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
 * Answer latency of a running {@code streamrag run} for questions that each arrive after the app has been idle
 * (issue 13): the case an idle-poll change could slow down. Each question is sent after {@code pause} of rest; the
 * latency is from the send until the committed answer is read (what {@code ask} waits for, exactly-once commit
 * included), next to the app's own {@code timings.totalMs}. Not a test: prints one Markdown table row.
 *
 * <pre>
 * java ... io.streamrag.bench.IdleAnswerLatencyBench BOOTSTRAP REGISTRY_URL [questions, 20] [pause ms, 3000] [label]
 * </pre>
 */
public final class IdleAnswerLatencyBench {

    private static final String QUESTIONS = "streamrag.questions";
    private static final String ANSWERS = "streamrag.answers";

    private IdleAnswerLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        Map<String, Object> serdeConfig = Map.of("schema.registry.url", args[1]);
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        long pauseMs = args.length > 3 ? Long.parseLong(args[3]) : 3000;
        String label = args.length > 4 ? args[4] : "run";

        SpecificAvroSerde<Question> questionSerde = new SpecificAvroSerde<>(Question.class);
        questionSerde.configure(serdeConfig, false);
        SpecificAvroSerde<Answer> answerSerde = new SpecificAvroSerde<>(Answer.class);
        answerSerde.configure(serdeConfig, false);

        Map<String, Object> producerProps = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0);
        Map<String, Object> consumerProps = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "idle-latency-bench-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                // the bench's own fetches should not add to what is measured: return as soon as an answer lands
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        List<Long> endToEnd = new ArrayList<>();
        List<Long> inApp = new ArrayList<>();
        try (KafkaProducer<String, Question> producer =
                     new KafkaProducer<>(producerProps, new StringSerializer(), questionSerde.serializer());
             KafkaConsumer<String, Answer> answers =
                     new KafkaConsumer<>(consumerProps, new StringDeserializer(), answerSerde.deserializer())) {
            answers.subscribe(List.of(ANSWERS));
            while (answers.assignment().isEmpty()) {
                answers.poll(Duration.ofMillis(100));
            }
            answers.seekToEnd(answers.assignment());
            answers.assignment().forEach(answers::position);
            for (int i = 0; i < count; i++) {
                Thread.sleep(pauseMs);
                String id = UUID.randomUUID().toString();
                long sentAt = System.nanoTime();
                producer.send(new ProducerRecord<>(QUESTIONS, id, Question.newBuilder().setQuestionId(id)
                        .setText("How tall is Mount Etna?").setRequestedAt(Instant.now()).build())).get();
                Answer answer = awaitAnswer(answers, id, sentAt + Duration.ofSeconds(60).toNanos());
                endToEnd.add((System.nanoTime() - sentAt) / 1_000_000);
                inApp.add(answer.getTimings().getTotalMs());
            }
        }
        System.out.printf("| %s | %d | %d | %d | %d | %d | %d | %s |%n", label, count, pauseMs,
                percentile(endToEnd, 50), percentile(endToEnd, 90), max(endToEnd), percentile(inApp, 50),
                Arrays.toString(endToEnd.toArray()));
    }

    private static Answer awaitAnswer(KafkaConsumer<String, Answer> answers, String id, long giveUpAt) {
        while (System.nanoTime() < giveUpAt) {
            for (ConsumerRecord<String, Answer> record : answers.poll(Duration.ofMillis(20))) {
                if (record.value() != null && id.equals(record.value().getQuestionId())) {
                    return record.value();
                }
            }
        }
        throw new IllegalStateException("no answer to " + id + " within 60 s");
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
