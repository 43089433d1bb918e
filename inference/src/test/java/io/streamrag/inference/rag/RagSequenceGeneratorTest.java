package io.streamrag.inference.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamrag.inference.generate.GeneratedSequence;
import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.inference.rag.RagSequenceGenerator.Decoding;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RAG-Sequence's n-best list on a generator whose beams and likelihoods are set by hand, against sums worked out
 * here: two passages with p(d|x) = softmax(0.9, 0.5) = (0.598688, 0.401312); passage 1's beams are A, B, passage
 * 2's are B, A, C (so A and B are produced twice).
 *
 * <pre>
 *            p(y|x,d1)  p(y|x,d2)   p(y|x) thorough
 *   A        0.48       0.025       0.297403
 *   B        0.32       0.25        0.291908
 *   C        0.05       0.1         0.070066   (fast: 0.401312 * 0.1 = 0.040131, d1 never produced C)
 * </pre>
 */
class RagSequenceGeneratorTest {
    private static final int[] A = {0, 11, 2};
    private static final int[] B = {0, 12, 2};
    private static final int[] C = {0, 13, 2};
    private static final String INPUT_1 = "One / first passage // who?";
    private static final String INPUT_2 = "Two / second passage // who?";
    private static final RagQuestion QUESTION = new RagQuestion(List.of(INPUT_1, INPUT_2), new double[] {0.9, 0.5});
    private static final double W1 = Math.exp(0.9) / (Math.exp(0.9) + Math.exp(0.5));
    private static final double W2 = 1 - W1;

    private final HandSetGenerator generator = new HandSetGenerator()
            .beams(INPUT_1, seq(A, 0.48), seq(B, 0.32))
            .beams(INPUT_2, seq(B, 0.25), seq(A, 0.025), seq(C, 0.1))
            .forced(INPUT_1, A, 0.48).forced(INPUT_1, B, 0.32).forced(INPUT_1, C, 0.05)
            .forced(INPUT_2, A, 0.025).forced(INPUT_2, B, 0.25).forced(INPUT_2, C, 0.1);

    @Test
    void theNBestListHoldsEveryDistinctCandidateByItsMarginalBestFirst() {
        List<RagHypothesis> nBest = generate(Decoding.THOROUGH, true);

        assertThat(nBest).extracting(h -> h.sequence().tokenIds()).containsExactly(A, B, C);
        assertMarginal(nBest.get(0), 0.48, 0.025);
        assertMarginal(nBest.get(1), 0.32, 0.25);
        assertMarginal(nBest.get(2), 0.05, 0.1);
        assertThat(generator.forcedPairs).as("3 distinct candidates x 2 passages").isEqualTo(6);
    }

    @Test
    void withoutDeduplicationEveryBeamIsListedAndTwinsShareTheirScores() {
        List<RagHypothesis> nBest = generate(Decoding.THOROUGH, false);

        assertThat(nBest).extracting(h -> h.sequence().tokenIds()).containsExactly(A, A, B, B, C);
        assertMarginal(nBest.get(0), 0.48, 0.025);
        assertMarginal(nBest.get(1), 0.48, 0.025);
        assertMarginal(nBest.get(2), 0.32, 0.25);
        assertMarginal(nBest.get(3), 0.32, 0.25);
        assertMarginal(nBest.get(4), 0.05, 0.1);
        assertThat(nBest.get(0).sequence().text()).isEqualTo(nBest.get(1).sequence().text()).isEqualTo("text 11");
    }

    @Test
    void fastDecodingTakesACandidateAPassageDidNotProduceAsImpossibleUnderIt() {
        List<RagHypothesis> nBest = generate(Decoding.FAST, true);

        assertThat(nBest).extracting(h -> h.sequence().tokenIds()).containsExactly(A, B, C);
        assertMarginal(nBest.get(2), 0.0, 0.1);
        assertThat(nBest.get(2).docLogLikelihoods()[0]).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(nBest.get(2).docPosterior()).containsExactly(0.0, 1.0);
        assertThat(generator.forcedPairs).as("fast decoding needs no forced pass").isZero();

        List<RagHypothesis> all = generate(Decoding.FAST, false);
        assertThat(all).extracting(h -> h.sequence().tokenIds()).containsExactly(A, A, B, B, C);
    }

    @Test
    void equalMarginalsResolveToTheFirstCandidateSeen() {
        HandSetGenerator tied = new HandSetGenerator().beams(INPUT_1, seq(B, 0.4), seq(A, 0.2))
                .beams(INPUT_2, seq(A, 0.4), seq(B, 0.2));
        RagQuestion evenPrior = new RagQuestion(List.of(INPUT_1, INPUT_2), new double[] {0.0, 0.0});
        List<RagHypothesis> nBest = new RagSequenceGenerator(tied, Decoding.FAST, true, null)
                .generate(List.of(evenPrior), settings()).get(0);

        assertThat(nBest.get(0).sequence().logLikelihood()).isEqualTo(nBest.get(1).sequence().logLikelihood());
        assertThat(nBest).extracting(h -> h.sequence().tokenIds()).containsExactly(B, A);
    }

    @Test
    void questionsOfABatchAreAnsweredApartFromOneGenerateCall() {
        RagQuestion swapped = new RagQuestion(List.of(INPUT_1, INPUT_2), new double[] {0.5, 0.9});
        List<List<RagHypothesis>> answers = new RagSequenceGenerator(generator, Decoding.THOROUGH, true, null)
                .generate(List.of(QUESTION, swapped), settings());

        assertThat(generator.generateCalls).isEqualTo(1);
        assertThat(answers.get(0).get(0).sequence().tokenIds()).containsExactly(A);
        // swapped prior: B = .401312 * .32 + .598688 * .25 = .278088 beats A = .401312 * .48 + .598688 * .025
        assertThat(answers.get(1).get(0).sequence().tokenIds()).containsExactly(B);
        assertThat(answers.get(1).get(0).sequence().logLikelihood())
                .isCloseTo(Math.log(W2 * 0.32 + W1 * 0.25), within(1e-12));
    }

    private List<RagHypothesis> generate(Decoding decoding, boolean deduplicate) {
        return new RagSequenceGenerator(generator, decoding, deduplicate, null)
                .generate(List.of(QUESTION), settings()).get(0);
    }

    /** The brute-force sums: marginal {@code log(w1 p1 + w2 p2)} and posterior {@code w_d p_d / p(y|x)}. */
    private static void assertMarginal(RagHypothesis h, double p1, double p2) {
        double marginal = W1 * p1 + W2 * p2;
        assertThat(h.sequence().logLikelihood()).isCloseTo(Math.log(marginal), within(1e-12));
        assertThat(h.sequence().score()).isEqualTo(h.sequence().logLikelihood());
        assertThat(h.docPosterior()).containsExactly(new double[] {W1 * p1 / marginal, W2 * p2 / marginal},
                within(1e-12));
    }

    static GenerationSettings settings() {
        return new GenerationSettings(3, 3, 20, null, 0, 1.0, GenerationSettings.EarlyStopping.TRUE, 0, null, 2, 2, 2,
                1);
    }

    static GeneratedSequence seq(int[] ids, double probability) {
        return new GeneratedSequence(ids, "text " + ids[1], Math.log(probability), Math.log(probability));
    }
}
