package io.streamrag.inference.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Concat on a generator set by hand: the answer of the packed input, scored under each passage alone for its
 * posterior. p(d|x) = softmax(0.9, 0.5) = (0.598688, 0.401312), p(y|x,d) = (0.48, 0.025).
 */
class ConcatGeneratorTest {
    private static final int[] A = {0, 11, 2};
    private static final String PACKED = "who? // One / first // Two / second";
    private static final String INPUT_1 = "One / first // who?";
    private static final String INPUT_2 = "Two / second // who?";
    private static final RagQuestion PASSAGES = new RagQuestion(List.of(INPUT_1, INPUT_2), new double[] {0.9, 0.5});

    @Test
    void theAnswerOfThePackedInputCarriesThePosteriorOfItsPassagesScoredAlone() {
        HandSetGenerator generator = new HandSetGenerator().beams(PACKED, RagSequenceGeneratorTest.seq(A, 0.3))
                .forced(INPUT_1, A, 0.48).forced(INPUT_2, A, 0.025);

        List<RagHypothesis> answers = new ConcatGenerator(generator)
                .generate(List.of(PACKED), List.of(PASSAGES), RagSequenceGeneratorTest.settings()).get(0);

        assertThat(answers).hasSize(1);
        RagHypothesis answer = answers.get(0);
        assertThat(answer.sequence().tokenIds()).containsExactly(A);
        assertThat(answer.sequence().logLikelihood()).as("under the packed input").isEqualTo(Math.log(0.3));
        assertThat(answer.docLogLikelihoods()).containsExactly(Math.log(0.48), Math.log(0.025));
        double w1 = Math.exp(0.9) / (Math.exp(0.9) + Math.exp(0.5));
        double joint1 = w1 * 0.48;
        double joint2 = (1 - w1) * 0.025;
        assertThat(answer.docPosterior()).containsExactly(new double[] {joint1 / (joint1 + joint2),
                joint2 / (joint1 + joint2)}, within(1e-12));
        assertThat(answer.bestDocument()).isZero();
        assertThat(generator.generateCalls).isEqualTo(1);
        assertThat(generator.forcedPairs).isEqualTo(2);
    }

    @Test
    void everyPackedInputNeedsItsPassages() {
        assertThatThrownBy(() -> new ConcatGenerator(new HandSetGenerator())
                .generate(List.of(PACKED, PACKED), List.of(PASSAGES), RagSequenceGeneratorTest.settings()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 packed inputs");
    }
}
