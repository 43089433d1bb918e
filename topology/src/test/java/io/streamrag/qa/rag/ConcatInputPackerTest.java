package io.streamrag.qa.rag;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.streamrag.qa.RetrievalContext;
import io.streamrag.qa.RetrievalWeights;
import io.streamrag.qa.testing.MiniLmTokenizer;
import io.streamrag.store.SearchHit;
import io.streamrag.store.StoredChunk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConcatInputPackerTest {

    private static HuggingFaceTokenizer tokenizer;

    private static final String TWO = "who is aaron? // Aaron / Aaron is a prophet. // Moses / Moses is his brother.";
    private static final String THREE = TWO + " // Miriam / Miriam is their sister.";

    @BeforeAll
    static void loadTokenizer() {
        tokenizer = MiniLmTokenizer.load();
    }

    @AfterAll
    static void closeTokenizer() {
        tokenizer.close();
    }

    private static RetrievalContext context() {
        List<SearchHit> hits = List.of(hit("Aaron", "Aaron is a prophet.", 0.9),
                hit("\"Moses\"", "Moses is  his brother.", 0.8), hit("Miriam", "Miriam is their sister.", 0.7));
        return new RetrievalContext("who is aaron?", new float[] {1f}, hits, RetrievalWeights.of(hits, 1.0));
    }

    private static SearchHit hit(String title, String text, double score) {
        return new SearchHit(new StoredChunk(title, title, 0, 1, title, text, null, Map.of(), null), score);
    }

    private static int tokens(String text) {
        long count = 0;
        for (long attended : tokenizer.encode(text).getAttentionMask()) {
            count += attended;
        }
        return (int) count;
    }

    @Test
    void everyPassageGoesInWhenTheyAllFit() {
        ConcatInputPacker.PackedInput packed = new ConcatInputPacker(tokenizer, 120).pack(context());
        assertThat(packed.text()).isEqualTo(THREE);
        assertThat(packed.passages()).isEqualTo(3);
    }

    @Test
    void passagesThatDoNotFitWholeAreLeftOut() {
        int limit = tokens(THREE) - 1;
        assertThat(tokens(TWO)).isLessThanOrEqualTo(limit);

        ConcatInputPacker.PackedInput packed = new ConcatInputPacker(tokenizer, limit).pack(context());
        assertThat(packed.text()).isEqualTo(TWO);
        assertThat(packed.passages()).isEqualTo(2);
    }

    @Test
    void theBestPassageIsAlwaysIncluded() {
        ConcatInputPacker.PackedInput packed = new ConcatInputPacker(tokenizer, 3).pack(context());
        assertThat(packed.text()).isEqualTo("who is aaron? // Aaron / Aaron is a prophet.");
        assertThat(packed.passages()).isEqualTo(1);
    }
}
