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
        return titled(question, null, passages);
    }

    private RetrievalContext titled(String question, String title, String... passages) {
        List<SearchHit> hits = new java.util.ArrayList<>();
        for (int i = 0; i < passages.length; i++) {
            hits.add(new SearchHit(new StoredChunk("c" + i, "d" + i, 0, 1, title, passages[i], null, Map.of(), null),
                    1.0 - i * 0.1));
        }
        return new RetrievalContext(question, embedder.vectorOf(question), hits, RetrievalWeights.of(hits, 1.0));
    }

    @Test
    void splitsPassagesIntoTrimmedSentences() {
        assertThat(new SentenceSplitter().split("  First one. Second one?  Third!\n"))
                .containsExactly("First one.", "Second one?", "Third!");
        assertThat(new SentenceSplitter().split("   ")).isEmpty();
        assertThat(new SentenceSplitter().split("Kenya as Mt. Kenya is high. John F. Kennedy spoke."))
                .containsExactly("Kenya as Mt. Kenya is high.", "John F. Kennedy spoke.");
    }

    /** Every text gets the same vector: embedding similarity cannot tell sentences apart. */
    private static final class IndifferentEmbedder implements io.streamrag.inference.embed.TextEmbedder {
        @Override
        public String modelName() {
            return "indifferent";
        }

        @Override
        public int dimension() {
            return 4;
        }

        @Override
        public int maxTokens() {
            return 512;
        }

        @Override
        public ai.djl.huggingface.tokenizers.HuggingFaceTokenizer tokenizer() {
            throw new UnsupportedOperationException("not needed by the composer");
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            return texts.stream().map(text -> new float[] {0.5f, 0.5f, 0.5f, 0.5f}).toList();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void picksTheSentenceThatAnswersOverOneThatOnlyRestatesTheTopic() {
        IndifferentEmbedder indifferent = new IndifferentEmbedder();
        RetrievalContext context = new RetrievalContext("How tall is Mount Etna?", new float[] {0.5f, 0.5f, 0.5f, 0.5f},
                List.of(new SearchHit(new StoredChunk("c0", "etna", 0, 1, "Mount Etna",
                        "Mount Etna is an active volcano in Sicily. It is the tallest active volcano in Europe, "
                                + "about 3,357 metres high. Its lava shaped the farmland.", null, Map.of(), null), 0.6)),
                new double[] {1.0});
        ExtractiveComposer similarity = new ExtractiveComposer(indifferent, ExtractiveComposer.Ranking.SIMILARITY);
        assertThat(similarity.compose(List.of(context)).get(0).text()).startsWith("Mount Etna is");

        // "tall" matches "tallest", the title puts "Mount Etna" in every sentence's context, and a height is a number
        assertThat(new ExtractiveComposer(indifferent).compose(List.of(context)).get(0).text())
                .isEqualTo("It is the tallest active volcano in Europe, about 3,357 metres high.");
    }

    @Test
    void aHeadingLikeFragmentIsNeverTheAnswerWhenASentenceExists() {
        RetrievalContext context = context("Etna eruptions", "Etna eruptions\nEtna erupts often, with lava.");
        assertThat(new ExtractiveComposer(embedder).compose(List.of(context)).get(0).text())
                .isEqualTo("Etna erupts often, with lava.");
        RetrievalContext onlyFragment = context("Etna eruptions", "Etna eruptions");
        assertThat(new ExtractiveComposer(embedder).compose(List.of(onlyFragment)).get(0).text())
                .isEqualTo("Etna eruptions");
    }

    @Test
    void questionTermsMatchAcrossEndingsAndIgnoreFunctionWords() {
        assertThat(QuestionTerms.of("Who first developed the Normans' cities?"))
                .containsExactly("first", "developed", "norman", "city");
        AnswerSentenceScorer scorer = new AnswerSentenceScorer("How tall is Etna?",
                List.of("Etna is the tallest.", "Vesuvius is smaller."));
        assertThat(scorer.overlap("Etna is the tallest.", null)).isEqualTo(1.0);
        assertThat(scorer.overlap("Vesuvius is smaller.", null)).isZero();
        assertThat(scorer.overlap("Vesuvius is smaller.", "Etna")).isGreaterThan(0.0).isLessThan(1.0);
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
