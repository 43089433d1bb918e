package io.streamrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import io.streamrag.app.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What a newcomer sees from the client commands when no app is running or the input is wrong: one line each. */
class CliWithoutAppTest {

    private static String nothingListening;
    private static String noRegistry;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void closedPorts() throws Exception {
        try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             ServerSocket b = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            nothingListening = "127.0.0.1:" + a.getLocalPort();
            noRegistry = "http://127.0.0.1:" + b.getLocalPort();
        }
    }

    @Test
    void askWithNoBrokerPrintsOneHintAndExitsTwo() {
        int code = execute("ask", "--bootstrap-servers", nothingListening, "--timeout", "5s", "How tall is Etna?");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines().toList()).containsExactly("no broker at " + nothingListening
                + " — is `streamrag run` running? (elsewhere: --bootstrap-servers)");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void loadWithNoBrokerPublishesNothingAndSaysWhy() throws Exception {
        Files.writeString(dir.resolve("etna.md"), "# Etna\n\nMount Etna is 3,357 m high.\n");

        int code = execute("load", "--bootstrap-servers", nothingListening, "--no-progress", dir.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines().toList()).containsExactly("no broker at " + nothingListening
                + " — is `streamrag run` running? (elsewhere: --bootstrap-servers)");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aBrokerWithoutItsRegistryIsNamedToo() throws Exception {
        try (ServerSocket broker = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int code = execute("ask", "--bootstrap-servers", "127.0.0.1:" + broker.getLocalPort(),
                    "--schema-registry-url", noRegistry, "--timeout", "5s", "anything?");

            assertThat(code).isEqualTo(2);
            assertThat(err.toString().lines().toList()).containsExactly("no schema registry at " + noRegistry
                    + " — is `streamrag run` running? (elsewhere: --schema-registry-url)");
        }
    }

    @Test
    void loadOfAMissingFileSaysSoInOneLine() {
        Path missing = dir.resolve("no-such-docs");

        int code = execute("load", "--bootstrap-servers", nothingListening, missing.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines().toList())
                .containsExactly("cannot load " + missing + ": no such file or folder");
    }

    private int execute(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
