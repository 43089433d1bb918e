package io.streamrag.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.Operation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentFilesTest {

    @TempDir
    Path dir;

    @Test
    void aFolderGivesOneDocumentPerTextOrMarkdownFile() throws Exception {
        Files.createDirectories(dir.resolve("guides"));
        Files.writeString(dir.resolve("guides/setup.md"), "Intro line\n\n## Setting up  \nDo this.");
        Files.writeString(dir.resolve("notes.txt"), "Plain notes.");
        Files.writeString(dir.resolve("image.png"), "not text");
        Instant modified = Instant.parse("2026-03-01T10:00:00Z");
        Files.setLastModifiedTime(dir.resolve("notes.txt"), FileTime.from(modified));

        List<DocumentChange> documents = DocumentFiles.read(dir, "acme");

        assertThat(documents).extracting(DocumentChange::getDocumentId).containsExactly("guides/setup.md", "notes.txt");
        DocumentChange setup = documents.get(0);
        assertThat(setup.getTitle()).isEqualTo("Setting up");
        assertThat(setup.getBody()).isEqualTo("Intro line\n\n## Setting up\n\nDo this.");
        assertThat(setup.getTenant()).isEqualTo("acme");
        assertThat(setup.getOperation()).isEqualTo(Operation.CREATE);
        assertThat(setup.getMetadata()).containsEntry("format", "markdown").containsEntry("path", "guides/setup.md");
        DocumentChange notes = documents.get(1);
        assertThat(notes.getTitle()).isEqualTo("notes");
        assertThat(notes.getVersion()).isEqualTo(modified.toEpochMilli() * 1000);
        assertThat(notes.getEventTime()).isEqualTo(modified);
        assertThat(notes.getSource().getSystem()).isEqualTo("loader");
    }

    @Test
    void aJsonLinesFileGivesOneDocumentPerLine() throws Exception {
        Path file = dir.resolve("docs.jsonl");
        Files.writeString(file, """
                {"id":"a","title":"Alpha","body":"First.","metadata":{"lang":"en","year":2020}}

                {"id":"b","body":"Second.","tenant":"globex"}
                {"id":"a","title":"Alpha","body":"First, edited."}
                """);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-03-01T10:00:00Z")));

        List<DocumentChange> documents = DocumentFiles.read(file, "acme");

        assertThat(documents).extracting(DocumentChange::getDocumentId).containsExactly("a", "b", "a");
        assertThat(documents.get(0).getMetadata()).isEqualTo(Map.of("lang", "en", "year", "2020"));
        assertThat(documents.get(0).getTenant()).isEqualTo("acme");
        assertThat(documents.get(1).getTenant()).isEqualTo("globex");
        assertThat(documents.get(1).getTitle()).isNull();
        assertThat(documents.get(2).getVersion()).as("a later line of the same document wins")
                .isGreaterThan(documents.get(0).getVersion());
    }

    @Test
    void aBadLineFailsTheWholeLoadWithItsLineNumber() throws Exception {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"id\":\"a\",\"body\":\"ok\"}\n{\"title\":\"no id\",\"body\":\"x\"}\n");

        assertThatThrownBy(() -> DocumentFiles.read(file, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("bad.jsonl:2: \"id\" is missing");
    }

    @Test
    void titleIsTheFirstHeadingOrTheFileName() {
        assertThat(DocumentFiles.titleOf("# Top\n## Sub", "x.md")).isEqualTo("Top");
        assertThat(DocumentFiles.titleOf("no heading", "report.final.txt")).isEqualTo("report.final");
    }

    @Test
    void markdownSyntaxNeverReachesTheBody() throws Exception {
        Files.writeString(dir.resolve("etna.md"), """
                # Mount *Etna*

                Mount Etna is an **active** stratovolcano on the east coast of [Sicily](https://en.wikipedia.org/wiki/Sicily),
                about `3,357` metres high. ![a photo of Etna](etna.png)

                ## Eruptions

                - Etna erupts _frequently_.
                - Its lava flows have shaped the farmland.

                1. First step.
                2. Second step.

                > Quoted **words**.

                ```bash
                echo lava
                ```

                <div>raw html</div>

                ---
                """);

        DocumentChange etna = DocumentFiles.read(dir, null).get(0);

        assertThat(etna.getTitle()).isEqualTo("Mount Etna");
        assertThat(etna.getBody()).isEqualTo("""
                Mount Etna is an active stratovolcano on the east coast of Sicily, about 3,357 metres high. \
                a photo of Etna

                ## Eruptions

                Etna erupts frequently.
                Its lava flows have shaped the farmland.

                First step.
                Second step.

                Quoted words.

                echo lava""");
        assertThat(etna.getMetadata()).containsEntry("format", "markdown");
    }

    @Test
    void aMarkdownFileWithoutHeadingIsTitledByItsName() throws Exception {
        Files.writeString(dir.resolve("plain-notes.md"), "Just *one* paragraph.\n");
        DocumentChange notes = DocumentFiles.read(dir, null).get(0);
        assertThat(notes.getTitle()).isEqualTo("plain-notes");
        assertThat(notes.getBody()).isEqualTo("Just one paragraph.");
    }
}
