package io.streamrag.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A SQuAD-format file (v1.1 or v2.0: {@code data[].title}, {@code data[].paragraphs[].context},
 * {@code paragraphs[].qas[].question/answers/is_impossible}) as retrieval test data: every paragraph is a document,
 * every answerable question has its own paragraph as the one right document. Unanswerable questions (SQuAD 2.0) have
 * no right paragraph and are left out.
 */
public record SquadDataset(List<Paragraph> paragraphs, List<EvalQuestion> questions) {

    /** One paragraph: document id {@code p<n>} in file order, the article title, the context. */
    public record Paragraph(String documentId, String title, String context) {
    }

    /** An answerable question, the id of its paragraph, and its gold answer texts. */
    public record EvalQuestion(String id, String text, String documentId, List<String> answers) {
    }

    public static SquadDataset read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        JsonNode data = root.path("data");
        if (!data.isArray()) {
            throw new IOException(file + " is not in SQuAD format: it has no \"data\" array");
        }
        List<Paragraph> paragraphs = new ArrayList<>();
        List<EvalQuestion> questions = new ArrayList<>();
        for (JsonNode article : data) {
            String title = article.path("title").asText(null);
            for (JsonNode paragraph : article.path("paragraphs")) {
                String context = paragraph.path("context").asText("");
                if (context.isBlank()) {
                    continue;
                }
                String documentId = "p" + paragraphs.size();
                paragraphs.add(new Paragraph(documentId, title == null ? null : title.replace('_', ' '), context));
                for (JsonNode qa : paragraph.path("qas")) {
                    List<String> answers = new ArrayList<>();
                    qa.path("answers").forEach(answer -> answers.add(answer.path("text").asText()));
                    if (qa.path("is_impossible").asBoolean(false) || answers.isEmpty()) {
                        continue;
                    }
                    questions.add(new EvalQuestion(qa.path("id").asText(), qa.path("question").asText(), documentId,
                            List.copyOf(answers)));
                }
            }
        }
        if (paragraphs.isEmpty() || questions.isEmpty()) {
            throw new IOException(file + " holds " + paragraphs.size() + " paragraphs and " + questions.size()
                    + " answerable questions: nothing to evaluate");
        }
        return new SquadDataset(List.copyOf(paragraphs), List.copyOf(questions));
    }
}
