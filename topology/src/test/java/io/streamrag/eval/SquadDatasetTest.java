package io.streamrag.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SquadDatasetTest {

    @TempDir
    Path dir;

    @Test
    void everyParagraphIsADocumentAndUnanswerableQuestionsAreLeftOut() throws IOException {
        Path file = dir.resolve("squad.json");
        Files.writeString(file, """
                {"version": "v2.0", "data": [
                  {"title": "Super_Bowl_50", "paragraphs": [
                    {"context": "Denver won Super Bowl 50.", "qas": [
                      {"id": "q1", "question": "Who won?", "answers": [{"text": "Denver", "answer_start": 0}],
                       "is_impossible": false},
                      {"id": "q2", "question": "Who lost badly?", "answers": [], "is_impossible": true}]},
                    {"context": "It was played in Santa Clara.", "qas": [
                      {"id": "q3", "question": "Where?", "answers": [{"text": "Santa Clara", "answer_start": 17}]}]}
                  ]}]}
                """);

        SquadDataset data = SquadDataset.read(file);

        assertThat(data.paragraphs()).extracting(SquadDataset.Paragraph::documentId).containsExactly("p0", "p1");
        assertThat(data.paragraphs().get(0).title()).isEqualTo("Super Bowl 50");
        assertThat(data.questions()).extracting(SquadDataset.EvalQuestion::id).containsExactly("q1", "q3");
        assertThat(data.questions().get(1).documentId()).isEqualTo("p1");
        assertThat(data.questions().get(1).answers()).containsExactly("Santa Clara");
    }

    @Test
    void aFileWithoutSquadDataIsRefused() throws IOException {
        Path file = dir.resolve("other.json");
        Files.writeString(file, "{\"rows\": []}");

        assertThatThrownBy(() -> SquadDataset.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("not in SQuAD format");
    }
}
