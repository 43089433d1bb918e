package io.streamrag.qa.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamrag.inference.rag.RagQuestion;
import io.streamrag.qa.RetrievalContext;
import io.streamrag.store.SearchHit;
import io.streamrag.store.StoredChunk;
import java.util.List;
import java.util.Map;
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

    @Test
    void aRetrievedQuestionBecomesOneInputPerPassageWithItsWeightsAsThePrior() {
        List<SearchHit> hits = List.of(
                new SearchHit(new StoredChunk("c1", "d1", 0, 1, "\"One\"", "first", null, Map.of(), null), 0.9),
                new SearchHit(new StoredChunk("c2", "d2", 0, 1, null, "second", null, Map.of(), null), 0.5));
        RetrievalContext context = new RetrievalContext("q?", new float[] {1f}, hits, new double[] {0.75, 0.25});

        RagQuestion question = new RagInputFormatter("p: ").question(context);

        assertThat(question.passageInputs()).containsExactly("p: One / first // q?", "p: / second // q?");
        assertThat(question.logPrior()).containsExactly(new double[] {Math.log(0.75), Math.log(0.25)},
                within(1e-15));
    }
}
