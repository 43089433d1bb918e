package io.streamrag.qa.rag;

import io.streamrag.inference.generate.LogSpace;
import io.streamrag.inference.rag.RagQuestion;
import io.streamrag.qa.RetrievalContext;
import io.streamrag.store.SearchHit;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one generator input per (passage, question) the way Hugging Face's {@code RagRetriever.postprocess_docs}
 * does: {@code prefix + title + " / " + passage + " // " + question}, with one leading and one trailing double quote
 * stripped from the title (DPR's wiki titles are quoted) and each pair of spaces collapsed once, as Python's
 * {@code str.replace("  ", " ")} does. A missing title is the empty string, as an empty title would be in HF.
 */
public final class RagInputFormatter {

    /** HF's {@code RagConfig.title_sep} default. */
    public static final String TITLE_SEPARATOR = " / ";
    /** HF's {@code RagConfig.doc_sep} default. */
    public static final String DOCUMENT_SEPARATOR = " // ";

    private final String prefix;

    public RagInputFormatter(String prefix) {
        this.prefix = prefix == null ? "" : prefix;
    }

    public String format(String title, String passage, String question) {
        String cleanTitle = stripQuotes(title == null ? "" : title);
        String joined = prefix + cleanTitle + TITLE_SEPARATOR + passage + DOCUMENT_SEPARATOR + question;
        // String.replace is non-overlapping left to right, exactly like Python's str.replace
        return joined.replace("  ", " ");
    }

    /**
     * A retrieved question as the inference module's RAG decoders take it, the one place every mode builds its
     * per-passage inputs: one input per passage in retrieval order, and {@code log p(d|x)} (the retrieval weights'
     * logarithms, which the decoders' {@code log_softmax} gives back unchanged) as the doc scores.
     */
    public RagQuestion question(RetrievalContext context) {
        List<String> inputs = new ArrayList<>(context.hits().size());
        for (SearchHit hit : context.hits()) {
            inputs.add(format(hit.chunk().title(), hit.chunk().text(), context.question()));
        }
        return new RagQuestion(inputs, LogSpace.log(context.weights()));
    }

    /** {@link #question} for every context, in order. */
    public List<RagQuestion> questions(List<RetrievalContext> contexts) {
        return contexts.stream().map(this::question).toList();
    }

    static String stripQuotes(String title) {
        String result = title;
        if (result.startsWith("\"")) {
            result = result.substring(1);
        }
        if (result.endsWith("\"")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }
}
