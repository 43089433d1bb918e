package io.streamrag.serde.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrag.serde.InMemorySchemaRegistry;
import io.streamrag.serde.SchemaDefinition;
import io.streamrag.serde.SchemaReference;
import io.streamrag.serde.SchemaRegistration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaJournalTest {

    private static final String STATUS = "{\"type\":\"enum\",\"name\":\"Status\",\"namespace\":\"t\",\"symbols\":[\"ON\",\"OFF\"]}";
    private static final String DEVICE = "{\"type\":\"record\",\"name\":\"Device\",\"namespace\":\"t\","
            + "\"fields\":[{\"name\":\"status\",\"type\":\"t.Status\"}]}";

    @TempDir
    Path directory;

    private Path file() {
        return directory.resolve("registry").resolve("schemas.jsonl");
    }

    /** Registers through a registry journaled to the file, as the server does, then closes the journal. */
    private List<SchemaRegistration> registerAll() throws IOException {
        try (SchemaJournal journal = SchemaJournal.open(file())) {
            InMemorySchemaRegistry registry = new InMemorySchemaRegistry("", journal::append);
            journal.replayInto(registry);
            return List.of(
                    registry.register("status", SchemaDefinition.of(STATUS)),
                    registry.register("devices-value", new SchemaDefinition(DEVICE,
                            List.of(new SchemaReference("t.Status", "status", 1)))));
        }
    }

    private InMemorySchemaRegistry reopened() throws IOException {
        try (SchemaJournal journal = SchemaJournal.open(file())) {
            InMemorySchemaRegistry registry = new InMemorySchemaRegistry("", journal::append);
            journal.replayInto(registry);
            return registry;
        }
    }

    @Test
    void replayingTheJournalRebuildsRegistrationsWithTheirReferences() throws IOException {
        List<SchemaRegistration> registered = registerAll();

        InMemorySchemaRegistry registry = reopened();

        assertThat(Files.readAllLines(file())).hasSize(2);
        assertThat(registry.version("status", 1)).isEqualTo(registered.get(0));
        assertThat(registry.latestRegistration("devices-value")).isEqualTo(registered.get(1));
        assertThat(registry.schemaById(registered.get(1).id()).getField("status").schema().getEnumSymbols())
                .containsExactly("ON", "OFF");
    }

    @Test
    void aLastLineCutShortByACrashIsDroppedAndTheJournalStaysAppendable() throws IOException {
        registerAll();
        Files.writeString(file(), "{\"subject\":\"half-val", StandardOpenOption.APPEND);

        try (SchemaJournal journal = SchemaJournal.open(file())) {
            InMemorySchemaRegistry registry = new InMemorySchemaRegistry("", journal::append);
            journal.replayInto(registry);
            assertThat(registry.subjects()).containsExactly("devices-value", "status");
            registry.register("more-value", SchemaDefinition.of("\"string\""));
        }

        assertThat(reopened().subjects()).containsExactly("devices-value", "more-value", "status");
        assertThat(Files.readString(file(), StandardCharsets.UTF_8)).doesNotContain("half-val").endsWith("\n");
    }

    @Test
    void anUnreadableCompleteLineStopsTheStartNamingFileAndLine() throws IOException {
        registerAll();
        List<String> lines = Files.readAllLines(file());
        Files.write(file(), List.of(lines.get(0), "not json", lines.get(1)));

        assertThatThrownBy(this::reopened)
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file().toString())
                .hasMessageContaining("line 2");
    }

    @Test
    void aJournalThatContradictsItselfIsNotReplayed() throws IOException {
        registerAll();
        List<String> lines = Files.readAllLines(file());
        Files.write(file(), List.of(lines.get(0), lines.get(0)));

        assertThatThrownBy(this::reopened)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("registration 2")
                .hasMessageContaining("does not follow version 1");
    }
}
