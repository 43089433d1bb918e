package io.streamrag.qa.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.streamrag.inference.generate.GeneratedSequence;
import io.streamrag.qa.ComposedAnswer;
import io.streamrag.qa.QaSettings.RagDecoding;
import io.streamrag.qa.RetrievalContext;
import io.streamrag.qa.RetrievalWeights;
import io.streamrag.qa.testing.ScriptedGenerator;
import io.streamrag.store.SearchHit;
import io.streamrag.store.StoredChunk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two passages x two candidates with log-likelihoods set by hand; the expected numbers below were worked out on
 * paper: p(d|x) = softmax(0.9, 0.5) = (0.598688, 0.401312).
 */
class RagSequenceComposerTest {

    private static final int BOS = 0;
    private static final int[] A = {BOS, 11, 2};
    private static final int[] B = {BOS, 12, 2};
    private static final String QUESTION = "who wrote it?";
    private static final String INPUT_1 = "One / first passage // who wrote it?";
    private static final String INPUT_2 = "Two / second passage // who wrote it?";

    private final RetrievalContext context = context();

    private static RetrievalContext context() {
        List<SearchHit> hits = List.of(
                new SearchHit(new StoredChunk("c1", "d1", 0, 1, "One", "first passage", null, Map.of(), null), 0.9),
                new SearchHit(new StoredChunk("c2", "d2", 0, 1, "Two", "second passage", null, Map.of(), null), 0.5));
        return new RetrievalContext(QUESTION, new float[] {1f}, hits, RetrievalWeights.of(hits, 1.0));
    }

    /**
     * p(A|x,d1) = 0.48 of which 0.8 is the BOS token, p(A|x,d2) = 0.025 (BOS 0.5); p(B|x,d1) = 0.32, p(B|x,d2) =
     * 0.25. Without BOS: A 0.6 / 0.05, B 0.4 / 0.5.
     */
    private static ScriptedGenerator generator(Integer forcedBos) {
        return new ScriptedGenerator(null, 512, forcedBos)
                .hypotheses(INPUT_1, new GeneratedSequence(A, " Ann", -0.5, Math.log(0.48)),
                        new GeneratedSequence(B, " Bob", -0.9, Math.log(0.32)))
                .hypotheses(INPUT_2, new GeneratedSequence(B, " Bob", -0.6, Math.log(0.25)),
                        new GeneratedSequence(A, " Ann", -2.0, Math.log(0.025)))
                .logLikelihood(INPUT_1, A, Math.log(0.48))
                .logLikelihood(INPUT_1, B, Math.log(0.32))
                .logLikelihood(INPUT_2, A, Math.log(0.025))
                .logLikelihood(INPUT_2, B, Math.log(0.25))
                .logLikelihood(INPUT_1, new int[] {BOS}, Math.log(0.8))
                .logLikelihood(INPUT_2, new int[] {BOS}, Math.log(0.5));
    }

    private static RagSequenceComposer composer(ScriptedGenerator generator, RagDecoding decoding, Integer bos,
                                                int beams) {
        return new RagSequenceComposer(generator, generator.defaultSettings().withBeams(beams, beams),
                new RagInputFormatter(""), decoding, bos);
    }

    @Test
    void weightsAreTheSoftmaxOfTheRetrievalScores() {
        assertThat(context.weights()[0]).isCloseTo(0.598688, offset(1e-6));
        assertThat(context.weights()[1]).isCloseTo(0.401312, offset(1e-6));
    }

    @Test
    void thoroughDecodingMarginalisesEveryCandidateOverEveryPassageWithoutTheBosScore() {
        ScriptedGenerator generator = generator(BOS);
        ComposedAnswer answer = composer(generator, RagDecoding.THOROUGH, BOS, 2).compose(List.of(context)).get(0);

        // p(Ann|x) = .598688 * .6 + .401312 * .05 = .379278 ; p(Bob|x) = .598688 * .4 + .401312 * .5 = .440131
        assertThat(answer.text()).isEqualTo(" Bob");
        // p(d|x,Bob) = (.239475, .200656) / .440131
        assertThat(answer.posteriors()[0]).isCloseTo(0.544099, offset(1e-6));
        assertThat(answer.posteriors()[1]).isCloseTo(0.455901, offset(1e-6));
        assertThat(generator.generateCalls()).containsExactly(List.of(INPUT_1, INPUT_2));
        assertThat(generator.scoreCalls()).as("2 unique candidates x 2 passages + BOS per passage, one call")
                .hasSize(1);
        assertThat(generator.scoreCalls().get(0)).hasSize(6);
    }

    @Test
    void thoroughDecodingEncodesTheMicroBatchOnceForGenerationAndRescoring() {
        ScriptedGenerator generator = generator(BOS);
        composer(generator, RagDecoding.THOROUGH, BOS, 2).compose(List.of(context, context));

        assertThat(generator.encodeCalls()).as("one encoding of the 2 questions x 2 passages")
                .containsExactly(List.of(INPUT_1, INPUT_2, INPUT_1, INPUT_2));
    }

    @Test
    void fastDecodingNeedsNoKeptEncoding() {
        ScriptedGenerator generator = generator(BOS);
        composer(generator, RagDecoding.FAST, BOS, 1).compose(List.of(context));

        assertThat(generator.encodeCalls()).isEmpty();
        assertThat(generator.generateCalls()).hasSize(1);
    }

    @Test
    void withoutBosExclusionTheWholeSequenceIsScored() {
        ComposedAnswer answer = composer(generator(BOS), RagDecoding.THOROUGH, null, 2)
                .compose(List.of(context)).get(0);

        // p(Ann|x) = .598688 * .48 + .401312 * .025 = .297403 ; p(Bob|x) = .598688 * .32 + .401312 * .25 = .291908
        assertThat(answer.text()).isEqualTo(" Ann");
        assertThat(answer.posteriors()[0]).isCloseTo(0.966265, offset(1e-6));
        assertThat(answer.posteriors()[1]).isCloseTo(0.033735, offset(1e-6));
    }

    @Test
    void fastDecodingOnlyCountsAPassageForTheCandidatesItGenerated() {
        ScriptedGenerator generator = generator(BOS);
        ComposedAnswer answer = composer(generator, RagDecoding.FAST, BOS, 1).compose(List.of(context)).get(0);

        // one beam each: Ann only from d1 (.598688 * .48 = .287370), Bob only from d2 (.401312 * .25 = .100328)
        assertThat(answer.text()).isEqualTo(" Ann");
        assertThat(answer.posteriors()).containsExactly(1.0, 0.0);
        assertThat(generator.scoreCalls()).as("fast decoding needs no forced pass").isEmpty();
    }

    @Test
    void aBatchOfQuestionsIsOneGenerateCallAndOneScoringCall() {
        ScriptedGenerator generator = generator(BOS);
        List<ComposedAnswer> answers = composer(generator, RagDecoding.THOROUGH, BOS, 2)
                .compose(List.of(context, context));

        assertThat(answers).extracting(ComposedAnswer::text).containsExactly(" Bob", " Bob");
        assertThat(generator.generateCalls()).hasSize(1);
        assertThat(generator.generateCalls().get(0)).hasSize(4);
        assertThat(generator.scoreCalls()).hasSize(1);
        assertThat(generator.scoreCalls().get(0)).hasSize(12);
    }
}
