package io.streamrag.qa.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamrag.inference.bart.BartGenerator;
import io.streamrag.inference.device.DeviceSettings;
import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.inference.rag.RagTokenGenerator;
import io.streamrag.inference.rag.RagHypothesis;
import io.streamrag.inference.rag.RagQuestion;
import io.streamrag.qa.ComposedAnswer;
import io.streamrag.qa.QaSettings;
import io.streamrag.qa.RetrievalContext;
import io.streamrag.qa.RetrievalWeights;
import io.streamrag.qa.TinyBartFolder;
import io.streamrag.qa.testing.ScriptedGenerator;
import io.streamrag.store.SearchHit;
import io.streamrag.store.StoredChunk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rag-token mode on the tiny BART: the composer hands the QA weights and inputs to RAG-token unchanged. */
class RagTokenComposerTest {

    @TempDir
    static Path scratch;
    private static BartGenerator bart;
    private static GenerationSettings settings;

    @BeforeAll
    static void open() throws Exception {
        bart = BartGenerator.open(TinyBartFolder.locate(scratch), DeviceSettings.CPU_FP32);
        settings = GeneratorSettings.derive(bart.defaultSettings(), 2, 10, false);
    }

    @AfterAll
    static void close() {
        bart.close();
    }

    @Test
    void answersAreRagTokenOnTheRagSequenceInputsWithTheRetrievalWeightsAsPrior() {
        RetrievalContext context = context("Who won the world series?", hit("Baseball", "Who won the world series?",
                1.5), hit("Kafka", "Kafka streams process events.", 0.3), hit("Paris", "Paris is the capital.", -0.7));
        RagTokenComposer composer = new RagTokenComposer(bart, settings, new RagInputFormatter(""));
        ComposedAnswer answer = composer.compose(List.of(context)).get(0);

        List<String> inputs = new RagInputFormatter("").question(context).passageInputs();
        assertThat(inputs.get(0)).isEqualTo("Baseball / Who won the world series? // Who won the world series?");
        double[] rawScores = {1.5, 0.3, -0.7}; // HF's doc_scores: their log_softmax is the same prior
        RagHypothesis direct = new RagTokenGenerator(bart).generate(List.of(new RagQuestion(inputs, rawScores)),
                settings).get(0).get(0);
        assertThat(answer.text()).isEqualTo(direct.sequence().text());
        assertThat(answer.posteriors()).hasSize(3);
        for (int d = 0; d < 3; d++) {
            assertThat(answer.posteriors()[d]).isCloseTo(direct.docPosterior()[d], within(1e-5));
        }
    }

    @Test
    void questionsWithDifferentPassageCountsShareABatch() {
        RetrievalContext three = context("What does the encoder do?", hit("BART", "The encoder reads the input.", 0.2),
                hit("Search", "Beam search keeps hypotheses.", 0.9), hit("Water", "Water boils.", 0.1));
        RetrievalContext two = context("Who won?", hit("Baseball", "Who won the world series?", 2.0),
                hit("Paris", "Paris is the capital of France.", 1.0));
        RetrievalContext one = context("Where is Paris?", hit("Paris", "Paris is the capital of France.", 3.0));
        RagTokenComposer composer = new RagTokenComposer(bart, settings, new RagInputFormatter(""));

        List<ComposedAnswer> together = composer.compose(List.of(three, two, one, three));
        List<ComposedAnswer> alone = new ArrayList<>();
        for (RetrievalContext c : List.of(three, two, one, three)) {
            alone.add(composer.compose(List.of(c)).get(0));
        }
        for (int i = 0; i < alone.size(); i++) {
            assertThat(together.get(i).text()).isEqualTo(alone.get(i).text());
            assertThat(together.get(i).posteriors()).hasSameSizeAs(alone.get(i).posteriors());
            for (int d = 0; d < alone.get(i).posteriors().length; d++) {
                assertThat(together.get(i).posteriors()[d]).isCloseTo(alone.get(i).posteriors()[d], within(1e-4));
            }
        }
        assertThat(together.get(2).posteriors()).containsExactly(1.0);
    }

    @Test
    void isTheThirdGenerationModeAndNamesItselfInAnswers() {
        assertThat(QaSettings.GenerationMode.fromLabel("rag-token")).isEqualTo(QaSettings.GenerationMode.RAG_TOKEN);
        RagTokenComposer composer = new RagTokenComposer(bart, settings, new RagInputFormatter(""));
        assertThat(composer.modeName()).isEqualTo("rag-token");
        assertThat(composer.modelName()).isEqualTo(bart.modelName());
    }

    @Test
    void refusesAGeneratorItCannotDriveStepByStep() {
        ScriptedGenerator scripted = new ScriptedGenerator(null, 512, null);
        assertThatThrownBy(() -> new RagTokenComposer(scripted, scripted.defaultSettings(), new RagInputFormatter("")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rag-token");
    }

    private static SearchHit hit(String title, String text, double score) {
        return new SearchHit(new StoredChunk("c-" + title, "d-" + title, 0, 1, title, text, null, Map.of(), null),
                score);
    }

    private static RetrievalContext context(String question, SearchHit... hits) {
        List<SearchHit> list = List.of(hits);
        return new RetrievalContext(question, new float[] {1f}, list, RetrievalWeights.of(list, 1.0));
    }
}
