package io.streamrag.cli;

import io.streamrag.contracts.Answer;
import io.streamrag.contracts.AnswerStatus;
import io.streamrag.contracts.Question;
import io.streamrag.qa.freshness.ConsistencyToken;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * {@code ask "question"}: publishes a Question and prints its answer when it arrives on the answers topic. Exit
 * codes: 0 answered (OK or NO_CONTEXT), 1 answered with INVALID, TIMEOUT or ERROR, 2 no answer in time.
 */
@Command(name = "ask", mixinStandardHelpOptions = true,
        description = "Ask a question and wait for its answer, with the passages it rests on.")
public final class AskCommand implements Callable<Integer> {

    public static final String DEFAULT_QUESTIONS_TOPIC = "streamrag.questions";
    public static final String DEFAULT_ANSWERS_TOPIC = "streamrag.answers";

    @Mixin
    KafkaConnectionOptions connection;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "QUESTION", description = "The question (words are joined by spaces).")
    List<String> words;

    @Option(names = "--tenant", description = "Only this tenant's passages are searched.")
    String tenant;

    @Option(names = "--top-k", description = "Passages to retrieve (default: the app's).")
    Integer topK;

    @Option(names = "--filter", paramLabel = "KEY=VALUE", description = "Exact-match metadata filter, repeatable.")
    Map<String, String> filters = new LinkedHashMap<>();

    @Option(names = "--json", description = "Print the answer as one JSON object.")
    boolean json;

    @Option(names = "--timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long to wait for the answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--deadline", converter = DurationConverter.class,
            description = "Answer deadline for the app; past it the answer is TIMEOUT with its passages"
                    + " (default: the app's).")
    Duration deadline;

    @Option(names = "--after", paramLabel = "TOKEN",
            description = "Consistency token (as printed by load): answer only once these writes are searchable.")
    String after;

    @Option(names = "--questions-topic", defaultValue = DEFAULT_QUESTIONS_TOPIC,
            description = "Questions topic (default: ${DEFAULT-VALUE}).")
    String questionsTopic;

    @Option(names = "--answers-topic", defaultValue = DEFAULT_ANSWERS_TOPIC,
            description = "Answers topic (default: ${DEFAULT-VALUE}).")
    String answersTopic;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CliLogging.quietKafkaClients();
        connection.warnIfInProcessRegistry(err);
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        Optional<String> unreachable = ClusterProbe.problem(connection, timeout);
        if (unreachable.isPresent()) {
            err.println(unreachable.get());
            return 2;
        }
        if (after != null) {
            try {
                ConsistencyToken.parse(after);
            } catch (IllegalArgumentException e) {
                err.println("--after: " + e.getMessage());
                return 2;
            }
        }
        String questionId = UUID.randomUUID().toString();
        Question question = Question.newBuilder()
                .setQuestionId(questionId)
                .setText(String.join(" ", words))
                .setTopK(topK)
                .setTenant(tenant)
                .setFilters(new HashMap<>(filters))
                .setRequestedAt(Instant.now())
                .setDeadlineMs(deadline == null ? null : deadline.toMillis())
                .setConsistencyToken(after)
                .build();

        // listen first, then ask: the answer cannot slip in between; every wait takes from the one --timeout
        try (AnswerTopicReader answers = AnswerTopicReader.open(connection, answersTopic, false, remaining(giveUpAt));
             KafkaProducer<String, Question> producer = producer(remaining(giveUpAt))) {
            producer.send(new ProducerRecord<>(questionsTopic, questionId, question))
                    .get(remaining(giveUpAt).toMillis(), TimeUnit.MILLISECONDS);
            while (System.nanoTime() < giveUpAt) {
                long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(giveUpAt - System.nanoTime()));
                for (ConsumerRecord<String, Answer> record
                        : answers.poll(Duration.ofMillis(Math.min(remainingMs, 500)))) {
                    Answer answer = record.value();
                    if (answer != null && questionId.equals(answer.getQuestionId())) {
                        print(answer, out);
                        return exitCodeOf(answer.getStatus());
                    }
                }
            }
            err.println("no answer to question " + questionId + " within " + readable(timeout)
                    + " — is the app's qa role running? (`streamrag run`)");
            return 2;
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            err.println("could not publish the question to '" + questionsTopic + "' at "
                    + connection.bootstrapServers() + " within " + readable(timeout) + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
            return 2;
        } catch (IllegalStateException e) {
            err.println(e.getMessage());
            return 2;
        }
    }

    /** "30s", "1m30s" rather than ISO-8601's "PT1M30S". */
    static String readable(Duration duration) {
        return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    private static Duration remaining(long giveUpAt) {
        return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), giveUpAt - System.nanoTime()));
    }

    private void print(Answer answer, PrintWriter out) {
        if (json) {
            AnswerPrinter.printJson(answer, out, true);
        } else {
            AnswerPrinter.printText(answer, out);
        }
    }

    static int exitCodeOf(AnswerStatus status) {
        return status == AnswerStatus.OK || status == AnswerStatus.NO_CONTEXT ? 0 : 1;
    }

    private KafkaProducer<String, Question> producer(Duration timeout) {
        Map<String, Object> config = new HashMap<>(connection.producerConfig(timeout));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "streamrag-cli-ask");
        return new KafkaProducer<>(config, new StringSerializer(),
                CliSerdes.valueSerde(Question.class, connection).serializer());
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new AskCommand()).execute(args));
    }
}
