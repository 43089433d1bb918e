package io.streamrag.inference.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamrag.inference.bart.BartGenerator;
import io.streamrag.inference.device.DeviceSettings;
import io.streamrag.inference.generate.BeamSearch;
import io.streamrag.inference.generate.GeneratedSequence;
import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.inference.generate.GenerationSettings.EarlyStopping;
import io.streamrag.inference.generate.GreedySearch;
import io.streamrag.inference.generate.ScoredTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties RAG-Token must have whatever the checkpoint: on the tiny BART with the goldens' 2 x 3 documents. */
class RagTokenPropertiesTest {
    private static final double TOLERANCE = 1e-4;
    private static final List<RetrievedContext> CONTEXTS = RagTokenGoldens.load().contexts();
    private static BartGenerator bart;
    private static RagTokenGenerator rag;

    @BeforeAll
    static void open() throws Exception {
        bart = BartGenerator.open(RagTokenGoldens.tinyBart(), DeviceSettings.CPU_FP32);
        rag = new RagTokenGenerator(bart);
    }

    @AfterAll
    static void close() {
        bart.close();
    }

    static Stream<GenerationSettings> settings() {
        return Stream.of(
                settings(1, 1, 20, 0, 1.0, EarlyStopping.FALSE, 0, 2),
                settings(1, 1, 16, 6, 1.0, EarlyStopping.FALSE, 2, 2),
                settings(4, 4, 20, 0, 1.0, EarlyStopping.TRUE, 0, 2),
                settings(3, 2, 18, 5, 2.0, EarlyStopping.NEVER, 2, 2),
                // no forced EOS and a short limit: hypotheses end at max length on a token other than EOS
                settings(4, 4, 7, 0, 1.0, EarlyStopping.FALSE, 0, null));
    }

    @ParameterizedTest
    @MethodSource("settings")
    void oneDocumentIsPlainGeneration(GenerationSettings s) {
        List<RetrievedContext> single = new ArrayList<>();
        List<int[]> inputs = new ArrayList<>();
        for (RetrievedContext c : CONTEXTS) {
            for (int d = 0; d < c.documents(); d++) {
                single.add(new RetrievedContext(List.of(c.inputIds().get(d)), new float[] {c.docScores()[d]}));
                inputs.add(c.inputIds().get(d));
            }
        }
        List<List<GeneratedSequence>> plain = bart.generateIds(inputs.toArray(new int[0][]), s);
        List<List<RagHypothesis>> mixed = rag.generateIds(single, s);
        assertSameHypotheses(mixed, plain);
        for (List<RagHypothesis> hypotheses : mixed) {
            for (RagHypothesis h : hypotheses) {
                assertThat(h.docPosterior()).containsExactly(1.0);
                assertThat(h.docLogLikelihoods()[0]).isCloseTo(h.sequence().logLikelihood(), within(TOLERANCE));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("settings")
    void priorConcentratedOnOneDocumentIsGenerationOnThatDocument(GenerationSettings s) {
        // question q concentrates on document 2 - q, so two different documents are chosen in one batch
        List<RetrievedContext> concentrated = new ArrayList<>();
        List<int[]> inputs = new ArrayList<>();
        for (int q = 0; q < CONTEXTS.size(); q++) {
            RetrievedContext c = CONTEXTS.get(q);
            float[] scores = {0f, 0f, 0f};
            scores[2 - q] = 80f; // exp(-80) is below float32's resolution next to 1
            concentrated.add(new RetrievedContext(c.inputIds(), scores));
            inputs.add(c.inputIds().get(2 - q));
        }
        List<List<RagHypothesis>> mixed = rag.generateIds(concentrated, s);
        assertSameHypotheses(mixed, bart.generateIds(inputs.toArray(new int[0][]), s));
        for (int q = 0; q < mixed.size(); q++) {
            assertThat(mixed.get(q).get(0).bestDocument()).isEqualTo(2 - q);
            assertThat(mixed.get(q).get(0).docPosterior()[2 - q]).isCloseTo(1.0, within(1e-9));
        }
    }

    @ParameterizedTest
    @MethodSource("settings")
    void aBatchEqualsItsQuestionsOneByOne(GenerationSettings s) {
        List<List<RagHypothesis>> batch = rag.generateIds(CONTEXTS, s);
        for (int q = 0; q < CONTEXTS.size(); q++) {
            List<RagHypothesis> alone = rag.generateIds(List.of(CONTEXTS.get(q)), s).get(0);
            assertThat(batch.get(q)).hasSameSizeAs(alone);
            for (int h = 0; h < alone.size(); h++) {
                RagHypothesis a = batch.get(q).get(h);
                RagHypothesis b = alone.get(h);
                assertThat(a.sequence().tokenIds()).containsExactly(b.sequence().tokenIds());
                assertThat(a.sequence().score()).isCloseTo(b.sequence().score(), within(TOLERANCE));
                for (int d = 0; d < 3; d++) {
                    assertThat(a.docPosterior()[d]).isCloseTo(b.docPosterior()[d], within(TOLERANCE));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("settings")
    void cachedDecodingEqualsAFullRecomputeEveryStep(GenerationSettings s) {
        List<List<ScoredTokens>> recomputed;
        try (RecomputingRagTokenSession session = new RecomputingRagTokenSession(bart.model(), CONTEXTS)) {
            if (s.numBeams() == 1) {
                recomputed = new ArrayList<>();
                GreedySearch.run(session, s).forEach(t -> recomputed.add(List.of(t)));
            } else {
                recomputed = BeamSearch.run(session, s);
            }
        }
        List<List<RagHypothesis>> cached = rag.generateIds(CONTEXTS, s);
        assertThat(cached).hasSameSizeAs(recomputed);
        for (int q = 0; q < cached.size(); q++) {
            assertThat(cached.get(q)).hasSameSizeAs(recomputed.get(q));
            for (int h = 0; h < cached.get(q).size(); h++) {
                GeneratedSequence c = cached.get(q).get(h).sequence();
                ScoredTokens r = recomputed.get(q).get(h);
                assertThat(c.tokenIds()).containsExactly(r.tokenIds());
                assertThat(c.score()).isCloseTo(r.score(), within(TOLERANCE));
                assertThat(c.logLikelihood()).isCloseTo(r.logLikelihood(), within(TOLERANCE));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("settings")
    void documentLikelihoodsFromTheSearchStepsEqualTeacherForcing(GenerationSettings s) {
        List<List<RagHypothesis>> generated = rag.generateIds(CONTEXTS, s);
        List<RetrievedContext> contexts = new ArrayList<>();
        List<RagHypothesis> hypotheses = new ArrayList<>();
        for (int q = 0; q < generated.size(); q++) {
            for (RagHypothesis h : generated.get(q)) {
                contexts.add(CONTEXTS.get(q));
                hypotheses.add(h);
            }
        }
        TeacherForcedScores forced = RagTokenTeacherForcing.score(bart.model(), contexts,
                hypotheses.stream().map(h -> h.sequence().tokenIds()).toList(), s.decoderStartTokenId());
        for (int i = 0; i < hypotheses.size(); i++) {
            RagHypothesis h = hypotheses.get(i);
            assertThat(h.sequence().logLikelihood()).isCloseTo(forced.logLikelihood(i), within(TOLERANCE));
            for (int d = 0; d < 3; d++) {
                assertThat(h.docLogLikelihoods()[d]).as("hypothesis %d document %d", i, d)
                        .isCloseTo(forced.docLogLikelihoods()[i][d], within(TOLERANCE));
            }
            double sum = 0;
            for (double p : h.docPosterior()) {
                sum += p;
            }
            assertThat(sum).isCloseTo(1.0, within(1e-9));
        }
    }

    @Test
    void noArraysOutliveACall() {
        int before = bart.model().manager().getManagedArrays().size();
        rag.generateIds(CONTEXTS, settings(4, 2, 12, 3, 1.0, EarlyStopping.FALSE, 2, 2));
        rag.generateIds(CONTEXTS, settings(1, 1, 12, 0, 1.0, EarlyStopping.FALSE, 0, 2));
        RagTokenTeacherForcing.score(bart.model(), CONTEXTS, List.of(new int[] {0, 272, 2}, new int[] {0, 2}));
        assertThat(bart.model().manager().getManagedArrays()).hasSize(before);
    }

    @Test
    void answersFromTextInputsEqualAnswersFromIds() {
        List<List<String>> texts = RagTokenGoldens.load().inputs();
        List<RagQuestion> questions = new ArrayList<>();
        for (int q = 0; q < texts.size(); q++) {
            float[] scores = CONTEXTS.get(q).docScores();
            double[] wide = new double[scores.length];
            for (int d = 0; d < wide.length; d++) {
                wide[d] = scores[d];
            }
            questions.add(new RagQuestion(texts.get(q), wide));
        }
        GenerationSettings s = settings(2, 1, 16, 0, 1.0, EarlyStopping.TRUE, 0, 2);
        List<List<RagHypothesis>> fromText = rag.generate(questions, s);
        List<List<RagHypothesis>> fromIds = rag.generateIds(CONTEXTS, s);
        for (int q = 0; q < fromIds.size(); q++) {
            assertThat(fromText.get(q).get(0).sequence().tokenIds())
                    .containsExactly(fromIds.get(q).get(0).sequence().tokenIds());
            assertThat(fromText.get(q).get(0).sequence().text()).isNotBlank();
        }
    }

    private static void assertSameHypotheses(List<List<RagHypothesis>> mixed,
            List<List<GeneratedSequence>> plain) {
        assertThat(mixed).hasSameSizeAs(plain);
        for (int i = 0; i < plain.size(); i++) {
            assertThat(mixed.get(i)).as("input %d", i).hasSameSizeAs(plain.get(i));
            for (int h = 0; h < plain.get(i).size(); h++) {
                GeneratedSequence m = mixed.get(i).get(h).sequence();
                GeneratedSequence p = plain.get(i).get(h);
                assertThat(m.tokenIds()).as("input %d hypothesis %d", i, h).containsExactly(p.tokenIds());
                assertThat(m.text()).isEqualTo(p.text());
                assertThat(m.score()).isCloseTo(p.score(), within(TOLERANCE));
                assertThat(m.logLikelihood()).isCloseTo(p.logLikelihood(), within(TOLERANCE));
            }
        }
    }

    private static GenerationSettings settings(int beams, int returns, int maxLength, int minLength,
            double lengthPenalty, EarlyStopping early, int noRepeat, Integer forcedEos) {
        return new GenerationSettings(beams, returns, maxLength, null, minLength, lengthPenalty, early, noRepeat,
                null, forcedEos, 2, 2, 1);
    }
}
