package io.streamrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrag.app.AppRuntime;
import io.streamrag.app.RoleCatalog;
import io.streamrag.app.config.AppConfig;
import io.streamrag.app.config.ConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's walk-through, in process: the application with its defaults (embedded broker and registry, the bundled
 * MiniLM embedder, extractive answers, Lucene, the default {@code qa.score.threshold}) on free ports, {@code load
 * docs/examples}, then the README's questions through {@code ask --json}: the answers hold the facts, and a question
 * about a topic the documents do not cover gets NO_CONTEXT.
 */
class ReadmeExamplesIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path workDir;

    private static AppRuntime app;

    @BeforeAll
    static void runAndLoad() {
        AppConfig config = new ConfigLoader(Map.of(), new Properties()).load(Optional.empty(), Map.of(
                "kafka.data.dir", workDir.resolve("data").toString(),
                "store.embedded.dir", workDir.resolve("data/store").toString(),
                "kafka.embedded.port", "0",
                "schema.registry.embedded.port", "0",
                "metrics.port", "-1"));
        app = AppRuntime.start(config, RoleCatalog.builtIn());

        CommandResult load = run(new LoadCommand(), "--no-progress", projectPath("docs/examples"));
        assertThat(load.exitCode()).as(load.err()).isZero();
        assertThat(load.out()).contains("published 4 of 4 documents");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theReadmeQuestionsAreAnsweredWithTheFactsAndAnOffTopicQuestionGetsNoContext() throws Exception {
        // the first question waits until ingest has caught up with the load
        JsonNode etna = askUntilOk("How tall is Mount Etna?", Duration.ofSeconds(90));
        assertThat(etna.get("text").asText()).contains("3,357 metres").doesNotContain("#");
        assertThat(etna.get("documents").get(0).get("documentId").asText()).isEqualTo("mount-etna.md");

        assertThat(askUntilOk("Where was Kafka first developed?", Duration.ofSeconds(30)).get("text").asText())
                .contains("LinkedIn");
        assertThat(askUntilOk("What does Debezium read?", Duration.ofSeconds(30)).get("text").asText())
                .contains("write-ahead log");
        assertThat(askUntilOk("Who introduced retrieval-augmented generation?", Duration.ofSeconds(30))
                .get("text").asText()).contains("Lewis et al.");

        JsonNode france = ask("What is the capital of France?");
        assertThat(france.get("status").asText()).as(france.toString()).isEqualTo("NO_CONTEXT");
        assertThat(france.get("documents")).isEmpty();
    }

    private static JsonNode askUntilOk(String question, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        JsonNode answer = ask(question);
        while (!answer.get("status").asText().equals("OK") && System.nanoTime() < deadline) {
            Thread.sleep(500);
            answer = ask(question);
        }
        assertThat(answer.get("status").asText()).as("%s -> %s", question, answer).isEqualTo("OK");
        return answer;
    }

    private static JsonNode ask(String question) throws Exception {
        CommandResult ask = run(new AskCommand(), "--json", "--timeout", "60s", question);
        assertThat(ask.exitCode()).as(ask.err()).isIn(0, 1);
        return JSON.readTree(ask.out());
    }

    private record CommandResult(int exitCode, String out, String err) {
    }

    private static CommandResult run(Object command, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--bootstrap-servers";
        all[1] = app.bootstrapServers();
        all[2] = "--schema-registry-url";
        all[3] = app.schemaRegistry().url();
        System.arraycopy(args, 0, all, 4, args.length);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(command);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(all);
        return new CommandResult(code, out.toString(), err.toString());
    }

    /** The tests run in topology/; docs/ is one level up. */
    private static String projectPath(String relative) {
        Path here = Path.of("").toAbsolutePath();
        Path candidate = here.resolve(relative);
        return (candidate.toFile().exists() ? candidate : here.getParent().resolve(relative)).toString();
    }
}
