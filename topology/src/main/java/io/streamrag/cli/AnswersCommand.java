package io.streamrag.cli;

import io.streamrag.contracts.Answer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code answers}: follows the answers topic and prints each answer as it arrives, until Ctrl-C. */
@Command(name = "answers", mixinStandardHelpOptions = true,
        description = "Follow the answers topic and print answers as they arrive.")
public final class AnswersCommand implements Callable<Integer> {

    @Mixin
    KafkaConnectionOptions connection;

    @Spec
    CommandSpec spec;

    @Option(names = "--answers-topic", defaultValue = AskCommand.DEFAULT_ANSWERS_TOPIC,
            description = "Answers topic (default: ${DEFAULT-VALUE}).")
    String answersTopic;

    @Option(names = "--from-beginning", description = "Start with the oldest answer instead of new ones only.")
    boolean fromBeginning;

    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    @Option(names = "--max-answers", defaultValue = "0",
            description = "Stop after this many answers (default: 0 = follow until interrupted).")
    long maxAnswers;

    @Option(names = "--timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long to wait for the broker when connecting (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        CliLogging.quietKafkaClients();
        connection.warnIfInProcessRegistry(spec.commandLine().getErr());
        java.util.Optional<String> unreachable = ClusterProbe.problem(connection, timeout);
        if (unreachable.isPresent()) {
            spec.commandLine().getErr().println(unreachable.get());
            return 2;
        }
        CountDownLatch closed = new CountDownLatch(1);
        try (AnswerTopicReader answers = AnswerTopicReader.open(connection, answersTopic, fromBeginning, timeout)) {
            Thread stopper = new Thread(() -> {
                answers.wakeup();
                awaitQuietly(closed);
            }, "streamrag-answers-shutdown");
            Runtime.getRuntime().addShutdownHook(stopper);
            try {
                long printed = 0;
                while (maxAnswers == 0 || printed < maxAnswers) {
                    for (ConsumerRecord<String, Answer> record : answers.poll(Duration.ofMillis(500))) {
                        if (record.value() == null) {
                            continue;
                        }
                        if (json) {
                            AnswerPrinter.printJson(record.value(), out, false);
                        } else {
                            AnswerPrinter.printText(record.value(), out);
                            out.println();
                            out.flush();
                        }
                        if (maxAnswers != 0 && ++printed >= maxAnswers) {
                            break;
                        }
                    }
                }
            } catch (WakeupException interrupted) {
                // Ctrl-C: stop following
            } finally {
                removeHook(stopper);
            }
            return 0;
        } finally {
            closed.countDown();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting and runs the hook; nothing to remove
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new AnswersCommand()).execute(args));
    }
}
