package io.streamrag.inference.bert;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.streamrag.inference.checkpoint.Checkpoint;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fallback that builds the MiniLM fixture from the jar's ONNX file (used where the shared fixture folder is
 * absent) yields every tensor a BERT encoder needs, in Hugging Face names and shapes, and, where the shared fixture
 * exists, exactly its values.
 */
class OnnxBertConverterTest {
    @TempDir
    Path temp;

    @Test
    void convertsTheBundledOnnxIntoHuggingFaceNamesAndShapes() throws Exception {
        Path converted = temp.resolve("minilm");
        OnnxBertConverter.convertBundledMiniLm(converted);
        Checkpoint checkpoint = Checkpoint.open(converted);

        Set<String> expected = new HashSet<>(Set.of("embeddings.word_embeddings.weight",
                "embeddings.position_embeddings.weight", "embeddings.token_type_embeddings.weight",
                "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"));
        for (int i = 0; i < 6; i++) {
            String p = "encoder.layer." + i + ".";
            for (String linear : new String[] {"attention.self.query", "attention.self.key", "attention.self.value",
                    "attention.output.dense", "intermediate.dense", "output.dense"}) {
                expected.add(p + linear + ".weight");
                expected.add(p + linear + ".bias");
            }
            for (String norm : new String[] {"attention.output.LayerNorm", "output.LayerNorm"}) {
                expected.add(p + norm + ".weight");
                expected.add(p + norm + ".bias");
            }
        }
        assertThat(checkpoint.names()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(checkpoint.info("encoder.layer.0.intermediate.dense.weight").shape()).containsExactly(1536, 384);
        assertThat(checkpoint.info("encoder.layer.0.output.dense.weight").shape()).containsExactly(384, 1536);

        Path shared = MiniLmFixture.folder();
        if (!shared.startsWith(Path.of("target").toAbsolutePath())) {
            Checkpoint reference = Checkpoint.open(shared);
            try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
                for (String name : expected) {
                    NDArray a = checkpoint.load(name, manager);
                    NDArray b = reference.load(name, manager);
                    assertThat(a.getShape()).as(name).isEqualTo(b.getShape());
                    assertThat(a.contentEquals(b)).as(name).isTrue();
                }
            }
        }
    }
}
