package io.streamrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import io.streamrag.app.Main;
import io.streamrag.app.config.ConfigDocs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void printsTheEffectiveSettingsWithTheirOrigins() {
        int code = execute("config", "--set", "qa.num.beams=2");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("qa.num.beams=2  (--set qa.num.beams)")
                .contains("schema.registry.url=  (default)");
    }

    @Test
    void exitsWithTwoAndNamesTheBadKeyWhenTheConfigurationIsInvalid() {
        int code = execute("config", "--set", "qa.num.beams=0", "--set", "store.qdrant.prot=6334");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .contains("qa.num.beams=0 must be between 1 and 64 (--set qa.num.beams)")
                .contains("unknown key 'store.qdrant.prot' (--set store.qdrant.prot); did you mean 'store.qdrant.port'?");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void rejectsAnUnknownRoleBeforeStartingAnything() {
        int code = execute("run", "--role", "indexer");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--role must be ingest, qa or all, not 'indexer'");
    }

    @Test
    void writeDocsRefusesAFileWithoutTheTableMarkersAndLeavesItAlone(@TempDir Path dir) throws Exception {
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "# My project\n\nHand-written, no table markers.\n");

        int code = execute("config", "--write-docs", readme.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(readme + " has no configuration table markers")
                .contains("not overwriting it");
        assertThat(Files.readString(readme)).isEqualTo("# My project\n\nHand-written, no table markers.\n");
    }

    @Test
    void writeDocsReplacesOnlyTheTableBetweenTheMarkers(@TempDir Path dir) throws Exception {
        Path readme = dir.resolve("README.md");
        Files.writeString(readme,
                "before\n" + ConfigDocs.TABLE_START + "\nstale\n" + ConfigDocs.TABLE_END + "\nafter\n");

        assertThat(execute("config", "--write-docs", readme.toString())).isZero();

        assertThat(Files.readString(readme)).isEqualTo("before\n" + ConfigDocs.table() + "\nafter\n");
    }

    @Test
    void aBusyPortStopsRunBeforeAnythingStartsWithOneLineAndNoStackTrace(@TempDir Path dir) throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = busy.getLocalPort();

            int code = execute("run", "--set", "kafka.data.dir=" + dir.resolve("data"),
                    "--set", "kafka.embedded.port=" + port, "--set", "schema.registry.embedded.port=0",
                    "--set", "metrics.port=0");

            assertThat(code).isEqualTo(1);
            assertThat(err.toString().lines().toList()).containsExactly("streamrag run: port " + port
                    + " for the embedded Kafka broker is in use (kafka.embedded.port=" + port + "): is another"
                    + " streamrag or Kafka running? Stop it, or set kafka.embedded.port to a free port (0 picks one)");
            assertThat(dir.resolve("data/kafka")).doesNotExist(); // nothing was started
        }
    }

    @Test
    void verbosePrintsTheStackTraceToo(@TempDir Path dir) throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int code = execute("run", "--verbose", "--set", "kafka.data.dir=" + dir.resolve("data"),
                    "--set", "kafka.embedded.port=" + busy.getLocalPort());

            assertThat(code).isEqualTo(1);
            assertThat(err.toString()).contains("is in use (kafka.embedded.port=")
                    .contains("at io.streamrag.app.startup.PortCheck.requireFree");
        }
    }

    private int execute(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
