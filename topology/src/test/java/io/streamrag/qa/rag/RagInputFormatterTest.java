package io.streamrag.qa.rag;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RagInputFormatterTest {

    @Test
    void joinsTitlePassageAndQuestionAsHuggingFaceDoes() {
        assertThat(new RagInputFormatter("").format("Aaron", "Aaron is a prophet.", "who is aaron"))
                .isEqualTo("Aaron / Aaron is a prophet. // who is aaron");
    }

    @Test
    void stripsOneQuotePairFromTheTitle() {
        assertThat(new RagInputFormatter(null).format("\"Quoted\"", "text", "q"))
                .isEqualTo("Quoted / text // q");
        assertThat(new RagInputFormatter(null).format("\"\"Twice\"\"", "text", "q"))
                .isEqualTo("\"Twice\" / text // q");
    }

    @Test
    void collapsesDoubleSpacesOncePerPairLikePythonReplace() {
        // "a  b" -> "a b"; three spaces -> two (non-overlapping replacement), as str.replace("  ", " ") does
        assertThat(new RagInputFormatter("").format("T", "a  b   c", "q")).isEqualTo("T / a b  c // q");
        assertThat(new RagInputFormatter("").format("T", "ends ", "q")).isEqualTo("T / ends // q");
    }

    @Test
    void putsThePrefixFirstAndTreatsAMissingTitleAsEmpty() {
        assertThat(new RagInputFormatter("answer: ").format(null, "text", "q")).isEqualTo("answer: / text // q");
    }
}
