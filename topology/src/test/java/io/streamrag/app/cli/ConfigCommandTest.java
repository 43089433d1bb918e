package io.streamrag.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import io.streamrag.app.Main;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ConfigCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void printsTheEffectiveSettingsWithTheirOrigins() {
        int code = execute("config", "--set", "qa.num.beams=2");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("qa.num.beams=2  (--set qa.num.beams)")
                .contains("registry.url=mock://streamrag  (default)");
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

    private int execute(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
