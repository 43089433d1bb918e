package io.streamrag.qa.extractive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.streamrag.qa.ComposedAnswer;
import io.streamrag.qa.RetrievalContext;
import io.streamrag.qa.RetrievalWeights;
import io.streamrag.qa.testing.BagOfWordsEmbedder;
import io.streamrag.store.SearchHit;
import io.streamrag.store.StoredChunk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtractiveComposerTest {

    private final BagOfWordsEmbedder embedder = new BagOfWordsEmbedder(256);

    private RetrievalContext context(String question, String... passages) {
        List<SearchHit> hits = new java.util.ArrayList<>();
        for (int i = 0; i < passages.length; i++) {
            hits.add(new SearchHit(new StoredChunk("c" + i, "d" + i, 0, 1, null, passages[i], null, Map.of(), null),
                    1.0 - i * 0.1));
        }
        return new RetrievalContext(question, embedder.vectorOf(question), hits, RetrievalWeights.of(hits, 1.0));
    }

    @Test
    void splitsPassagesIntoTrimmedSentences() {
        assertThat(new SentenceSplitter().split("  First one. Second one?  Third!\n"))
                .containsExactly("First one.", "Second one?", "Third!");
        assertThat(new SentenceSplitter().split("   ")).isEmpty();
    }

    @Test
    void picksTheSentenceClosestToTheQuestion() {
        RetrievalContext context = context("capital of Norway",
                "Paris is the capital of France. The Seine flows there.",
                "Norway has fjords. Oslo is the capital of Norway.");
        ComposedAnswer answer = new ExtractiveComposer(embedder).compose(List.of(context)).get(0);

        assertThat(answer.text()).isEqualTo("Oslo is the capital of Norway.");
        assertThat(answer.posteriors()).containsExactly(0.0, 1.0);
    }

    @Test
    void posteriorIsThePriorRenormalisedOverPassagesHoldingTheSentence() {
        RetrievalContext context = context("capital of Norway",
                "Oslo is the capital of Norway.", "Unrelated words here.", "Oslo is the capital of Norway.");
        ComposedAnswer answer = new ExtractiveComposer(embedder).compose(List.of(context)).get(0);

        double w0 = context.weights()[0];
        double w2 = context.weights()[2];
        assertThat(answer.posteriors()[0]).isCloseTo(w0 / (w0 + w2), offset(1e-12));
        assertThat(answer.posteriors()[1]).isZero();
        assertThat(answer.posteriors()[2]).isCloseTo(w2 / (w0 + w2), offset(1e-12));
    }

    @Test
    void sentencesOfABatchAreEmbeddedInOneCallAndRememberedAfterwards() {
        ExtractiveComposer composer = new ExtractiveComposer(embedder);
        RetrievalContext first = context("capital of France", "Paris is the capital. It is big.");
        RetrievalContext second = context("river", "The Seine is a river.");
        composer.compose(List.of(first, second));
        assertThat(embedder.calls()).containsExactly(
                List.of("Paris is the capital.", "It is big.", "The Seine is a river."));

        composer.compose(List.of(second));
        assertThat(embedder.calls()).as("cached sentences are not embedded again").hasSize(1);
    }
}
