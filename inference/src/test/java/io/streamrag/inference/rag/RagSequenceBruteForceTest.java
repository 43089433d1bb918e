package io.streamrag.inference.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamrag.inference.bart.BartGenerator;
import io.streamrag.inference.bart.BartTeacherForcing;
import io.streamrag.inference.device.DeviceSettings;
import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.inference.generate.GenerationSettings.EarlyStopping;
import io.streamrag.inference.rag.RagSequenceGenerator.Decoding;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RAG-Sequence on the tiny BART and the RAG-Token goldens' 2 questions x 3 documents, against a brute-force sum:
 * every n-best entry's marginal is {@code log sum_d p(d|x) p(y|x,d)} with each {@code p(y|x,d)} scored alone, one
 * (passage, candidate) pair per teacher-forced call.
 */
class RagSequenceBruteForceTest {
    private static final double TOLERANCE = 1e-4;
    private static final List<RetrievedContext> CONTEXTS = RagTokenGoldens.load().contexts();
    private static final GenerationSettings BEAMS = new GenerationSettings(3, 3, 12, null, 0, 1.0,
            EarlyStopping.FALSE, 0, null, 2, 2, 2, 1);
    private static BartGenerator bart;

    @BeforeAll
    static void open() throws Exception {
        bart = BartGenerator.open(RagTokenGoldens.tinyBart(), DeviceSettings.CPU_FP32);
    }

    @AfterAll
    static void close() {
        bart.close();
    }

    @Test
    void nBestMarginalsAndPosteriorsAreTheBruteForceSums() {
        List<List<RagHypothesis>> nBest = new RagSequenceGenerator(bart, Decoding.THOROUGH, true, null)
                .generateIds(CONTEXTS, BEAMS);
        for (int q = 0; q < CONTEXTS.size(); q++) {
            RetrievedContext context = CONTEXTS.get(q);
            double[] logPrior = context.logPrior();
            double previous = Double.POSITIVE_INFINITY;
            Set<List<Integer>> seen = new HashSet<>();
            for (RagHypothesis h : nBest.get(q)) {
                int[] y = h.sequence().tokenIds();
                assertThat(seen.add(Arrays.stream(y).boxed().toList())).as("deduplicated").isTrue();
                double sum = 0;
                double[] joint = new double[context.documents()];
                for (int d = 0; d < joint.length; d++) {
                    double alone = BartTeacherForcing.logLikelihoods(bart.model(),
                            new int[][] {context.inputIds().get(d)}, List.of(y))[0];
                    joint[d] = Math.exp(logPrior[d] + alone);
                    sum += joint[d];
                }
                assertThat(h.sequence().logLikelihood()).as("question %d %s", q, Arrays.toString(y))
                        .isCloseTo(Math.log(sum), within(TOLERANCE));
                for (int d = 0; d < joint.length; d++) {
                    assertThat(h.docPosterior()[d]).isCloseTo(joint[d] / sum, within(TOLERANCE));
                }
                assertThat(h.sequence().logLikelihood()).as("best first").isLessThanOrEqualTo(previous);
                previous = h.sequence().logLikelihood();
            }
        }
    }

    @Test
    void deduplicationOnlyFoldsTwinsTogether() {
        List<List<RagHypothesis>> distinct = new RagSequenceGenerator(bart, Decoding.THOROUGH, true, null)
                .generateIds(CONTEXTS, BEAMS);
        List<List<RagHypothesis>> all = new RagSequenceGenerator(bart, Decoding.THOROUGH, false, null)
                .generateIds(CONTEXTS, BEAMS);
        int twins = 0;
        for (int q = 0; q < CONTEXTS.size(); q++) {
            assertThat(all.get(q)).as("every beam of every passage").hasSize(3 * 3);
            assertThat(all.get(q).get(0).sequence().tokenIds()).containsExactly(
                    distinct.get(q).get(0).sequence().tokenIds());
            Set<List<Integer>> allIds = new HashSet<>();
            all.get(q).forEach(h -> allIds.add(Arrays.stream(h.sequence().tokenIds()).boxed().toList()));
            assertThat(allIds).hasSameSizeAs(distinct.get(q));
            twins += all.get(q).size() - distinct.get(q).size();
        }
        assertThat(twins).as("passages whose beams agree, so that there is something to fold").isPositive();
    }
}
