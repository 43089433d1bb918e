package io.streamrag.serde.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two processes on one data directory: the second registry refuses to start while the first holds the journal. */
class SchemaJournalLockTest {

    @TempDir
    Path directory;

    @Test
    void aJournalHeldByAnotherProcessIsRefusedAndFreeAfterIt() throws Exception {
        Path file = directory.resolve(EmbeddedSchemaRegistryServer.JOURNAL_FILE);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                JournalHolder.class.getName(), file.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.equals("HOLDING"));
            assertThat(line).as("the other process opened the journal").isEqualTo("HOLDING");

            assertThatThrownBy(() -> EmbeddedSchemaRegistryServer.start(directory, 0))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("in use by another registry");
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        EmbeddedSchemaRegistryServer.start(directory, 0).close();
    }
}
