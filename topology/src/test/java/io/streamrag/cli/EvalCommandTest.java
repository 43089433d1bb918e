package io.streamrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code streamrag eval} end to end on a small SQuAD file: the bundled MiniLM, a scratch Lucene index. */
class EvalCommandTest {

    @TempDir
    Path dir;

    @Test
    void printsOneRowPerModeWithPerfectRecallOnDistinctParagraphs() throws Exception {
        Path file = dir.resolve("tiny-squad.json");
        Files.writeString(file, """
                {"data": [{"title": "Volcanoes", "paragraphs": [
                  {"context": "Mount Etna is an active volcano on the east coast of Sicily, in Italy.",
                   "qas": [{"id": "a", "question": "On which island is Mount Etna?",
                            "answers": [{"text": "Sicily", "answer_start": 46}]}]},
                  {"context": "The Krakatoa eruption of 1883 was heard thousands of kilometres away.",
                   "qas": [{"id": "b", "question": "When did Krakatoa erupt?",
                            "answers": [{"text": "1883", "answer_start": 25}]}]}]},
                 {"title": "Glaciers", "paragraphs": [
                  {"context": "Glaciers carve U-shaped valleys as the ice slowly flows downhill.",
                   "qas": [{"id": "c", "question": "What shape of valley do glaciers carve?",
                            "answers": [{"text": "U-shaped", "answer_start": 15}]}]}]}]}
                """);
        StringWriter out = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out));

        int exit = command.execute("eval", file.toString(), "--set", "store.embedded.dir=" + dir.resolve("store"));

        String printed = out.toString();
        assertThat(exit).as(printed).isZero();
        assertThat(printed).contains("3 paragraphs, 3 answerable questions");
        for (String mode : new String[] {"dense", "keyword", "hybrid"}) {
            assertThat(printed).containsPattern("(?m)^" + mode + " +1\\.000 +1\\.000 +1\\.000 +1\\.000 +1\\.000");
        }
    }
}
