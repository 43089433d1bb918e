package io.streamrag.inference.bart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrag.inference.generate.GenerationSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixtures {@code src/test/python/make_bart_fixtures.py} wrote from Hugging Face transformers: the tiny BART
 * folders and {@code goldens.json}.
 */
public final class BartGoldens {
    private static final ObjectMapper JSON = new ObjectMapper();

    final JsonNode root;

    private BartGoldens(JsonNode root) {
        this.root = root;
    }

    static BartGoldens load() {
        try {
            return new BartGoldens(JSON.readTree(folder("goldens.json").toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture folder or file under {@code src/test/resources/bart}. */
    static Path folder(String name) {
        try {
            return Path.of(BartGoldens.class.getResource("/bart/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    List<String> inputs() {
        List<String> out = new ArrayList<>();
        root.get("inputs").forEach(n -> out.add(n.asText()));
        return out;
    }

    int[][] inputIds() {
        return ints2(root.get("input_ids"));
    }

    int[][] decoderInputIds() {
        return ints2(root.get("decoder_input_ids"));
    }

    List<int[]> targets() {
        List<int[]> out = new ArrayList<>();
        root.get("targets").forEach(n -> out.add(ints(n)));
        return out;
    }

    double[] targetLogLikelihood() {
        return doubles(root.get("target_log_likelihood"));
    }

    /** A [B][T][D] array flattened row-major, as NDArray.toFloatArray gives it. */
    float[] flat(String key) {
        List<Float> values = new ArrayList<>();
        collect(root.get(key), values);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    /** The generate arguments a fixture case pinned, with HF's names (the RAG-Token goldens use the same block). */
    public static GenerationSettings settings(JsonNode s) {
        return new GenerationSettings(
                s.get("num_beams").asInt(), s.get("num_return_sequences").asInt(), s.get("max_length").asInt(),
                s.get("max_new_tokens").isNull() ? null : s.get("max_new_tokens").asInt(),
                s.get("min_length").asInt(), s.get("length_penalty").asDouble(),
                GenerationSettings.EarlyStopping.valueOf(s.get("early_stopping").asText()),
                s.get("no_repeat_ngram_size").asInt(),
                s.get("forced_bos_token_id").isNull() ? null : s.get("forced_bos_token_id").asInt(),
                s.get("forced_eos_token_id").isNull() ? null : s.get("forced_eos_token_id").asInt(),
                s.get("decoder_start_token_id").asInt(), s.get("eos_token_id").asInt(),
                s.get("pad_token_id").asInt());
    }

    List<GenerateCase> generateCases() {
        List<GenerateCase> cases = new ArrayList<>();
        for (JsonNode c : root.get("generate")) {
            GenerationSettings settings = settings(c.get("settings"));
            List<List<Hypothesis>> outputs = new ArrayList<>();
            for (JsonNode perInput : c.get("outputs")) {
                List<Hypothesis> hyps = new ArrayList<>();
                perInput.forEach(h -> hyps.add(new Hypothesis(ints(h.get("ids")), h.get("score").asDouble(),
                        h.get("log_likelihood").asDouble(), h.get("text").asText())));
                outputs.add(hyps);
            }
            cases.add(new GenerateCase(c.get("name").asText(), settings, outputs));
        }
        return cases;
    }

    record Hypothesis(int[] ids, double score, double logLikelihood, String text) {
    }

    record GenerateCase(String name, GenerationSettings settings, List<List<Hypothesis>> outputs) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static void collect(JsonNode node, List<Float> out) {
        if (node.isArray()) {
            node.forEach(n -> collect(n, out));
        } else {
            out.add((float) node.asDouble());
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static int[][] ints2(JsonNode array) {
        int[][] out = new int[array.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = ints(array.get(i));
        }
        return out;
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }
}
