package io.streamrag.inference.rag;

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
 * What {@code src/test/python/make_rag_token_fixtures.py} wrote from Hugging Face's {@code RagTokenForGeneration}
 * around the tiny BART of {@code src/test/resources/bart/tiny}.
 */
final class RagTokenGoldens {
    private static final ObjectMapper JSON = new ObjectMapper();

    final JsonNode root;

    private RagTokenGoldens(JsonNode root) {
        this.root = root;
    }

    static RagTokenGoldens load() {
        try {
            return new RagTokenGoldens(JSON.readTree(resource("/rag/rag_token_goldens.json").toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path tinyBart() {
        return resource("/bart/tiny");
    }

    private static Path resource(String name) {
        try {
            return Path.of(RagTokenGoldens.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    List<RetrievedContext> contexts() {
        List<RetrievedContext> out = new ArrayList<>();
        for (JsonNode q : root.get("questions")) {
            List<int[]> ids = new ArrayList<>();
            q.get("input_ids").forEach(n -> ids.add(ints(n)));
            double[] s = doubles(q.get("doc_scores"));
            float[] scores = new float[s.length];
            for (int i = 0; i < s.length; i++) {
                scores[i] = (float) s[i];
            }
            out.add(new RetrievedContext(ids, scores));
        }
        return out;
    }

    List<List<String>> inputs() {
        List<List<String>> out = new ArrayList<>();
        for (JsonNode q : root.get("questions")) {
            List<String> texts = new ArrayList<>();
            q.get("inputs").forEach(n -> texts.add(n.asText()));
            out.add(texts);
        }
        return out;
    }

    List<int[]> teacherForcedTargets() {
        List<int[]> out = new ArrayList<>();
        root.get("teacher_forced").get("targets").forEach(n -> out.add(ints(n)));
        return out;
    }

    double[][] teacherForcedTokenLogProbs() {
        return doubles2(root.get("teacher_forced").get("token_log_probs"));
    }

    double[][] teacherForcedDocLogLikelihoods() {
        return doubles2(root.get("teacher_forced").get("doc_log_likelihoods"));
    }

    List<GenerateCase> generateCases() {
        List<GenerateCase> cases = new ArrayList<>();
        for (JsonNode c : root.get("generate")) {
            GenerationSettings settings = io.streamrag.inference.bart.BartGoldens.settings(c.get("settings"));
            List<List<Hypothesis>> outputs = new ArrayList<>();
            for (JsonNode perQuestion : c.get("outputs")) {
                List<Hypothesis> hyps = new ArrayList<>();
                perQuestion.forEach(h -> hyps.add(new Hypothesis(ints(h.get("ids")), h.get("text").asText(),
                        h.get("score").asDouble(), h.get("log_likelihood").asDouble(),
                        doubles(h.get("doc_log_likelihoods")), doubles(h.get("doc_posterior")))));
                outputs.add(hyps);
            }
            cases.add(new GenerateCase(c.get("name").asText(), settings, outputs));
        }
        return cases;
    }

    record Hypothesis(int[] ids, String text, double score, double logLikelihood, double[] docLogLikelihoods,
            double[] docPosterior) {
    }

    record GenerateCase(String name, GenerationSettings settings, List<List<Hypothesis>> outputs) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
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

    private static double[][] doubles2(JsonNode array) {
        double[][] out = new double[array.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubles(array.get(i));
        }
        return out;
    }
}
