package io.streamrag.qa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * SQuAD 2.0 (original JSON layout) as documents and answerable questions: each paragraph is a document, a question's
 * gold document is the paragraph it was written on. Reads the shared subset when it can be found (system property
 * {@code squad.path}, environment {@code SQUAD_PATH}, a {@code shared/data} folder above the working directory, or
 * /work/shared/data), else the small excerpt committed in the test resources.
 */
public record SquadSample(String source, List<Paragraph> paragraphs, List<AnswerableQuestion> questions) {

    public static final String FILE_NAME = "squad-v2-dev-subset.json";

    public record Paragraph(String documentId, String title, String text) {
    }

    public record AnswerableQuestion(String id, String text, String goldDocumentId) {
    }

    public static SquadSample load() throws IOException {
        Path shared = locateShared();
        if (shared != null) {
            try (InputStream in = Files.newInputStream(shared)) {
                return parse(shared.toString(), in);
            }
        }
        try (InputStream in = SquadSample.class.getResourceAsStream("/qa/squad-mini.json")) {
            if (in == null) {
                throw new IllegalStateException("neither " + FILE_NAME + " nor /qa/squad-mini.json could be found");
            }
            return parse("classpath:/qa/squad-mini.json", in);
        }
    }

    private static Path locateShared() {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty("squad.path");
        if (property != null) {
            candidates.add(Path.of(property));
        }
        String env = System.getenv("SQUAD_PATH");
        if (env != null) {
            candidates.add(Path.of(env));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            candidates.add(dir.resolve("shared/data").resolve(FILE_NAME));
        }
        candidates.add(Path.of("/work/shared/data").resolve(FILE_NAME));
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
    }

    private static SquadSample parse(String source, InputStream in) throws IOException {
        JsonNode root = new ObjectMapper().readTree(in);
        List<Paragraph> paragraphs = new ArrayList<>();
        List<AnswerableQuestion> questions = new ArrayList<>();
        for (JsonNode article : root.get("data")) {
            String title = article.get("title").asText().replace('_', ' ');
            int index = 0;
            for (JsonNode paragraph : article.get("paragraphs")) {
                String documentId = article.get("title").asText() + "/" + index++;
                paragraphs.add(new Paragraph(documentId, title, paragraph.get("context").asText()));
                for (JsonNode qa : paragraph.get("qas")) {
                    if (!qa.path("is_impossible").asBoolean(false)) {
                        questions.add(new AnswerableQuestion(qa.get("id").asText(), qa.get("question").asText(),
                                documentId));
                    }
                }
            }
        }
        return new SquadSample(source, List.copyOf(paragraphs), List.copyOf(questions));
    }

    /** Every n-th answerable question so that about {@code target} remain, in file order (deterministic). */
    public List<AnswerableQuestion> sample(int target) {
        int step = Math.max(1, questions.size() / target);
        List<AnswerableQuestion> sample = new ArrayList<>();
        for (int i = 0; i < questions.size() && sample.size() < target; i += step) {
            sample.add(questions.get(i));
        }
        return sample;
    }
}
