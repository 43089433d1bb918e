package io.streamrag.qa.rag;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.streamrag.qa.RetrievalContext;
import io.streamrag.store.SearchHit;

/**
 * Packs a question and its passages into one generator input:
 * {@code question // title / passage // title / passage ...}. The question comes first so truncation can never cut
 * it; passages are added whole, best first, while the input still fits the generator's maximum input length in
 * its own tokens (special tokens included). The first passage is always added: if even it does not fit, the
 * generator truncates it.
 */
public final class ConcatInputPacker {

    private final HuggingFaceTokenizer tokenizer;
    private final int maxInputTokens;

    public ConcatInputPacker(HuggingFaceTokenizer tokenizer, int maxInputTokens) {
        this.tokenizer = tokenizer;
        this.maxInputTokens = maxInputTokens;
    }

    /** The packed input and how many passages (a prefix of the retrieval order) it holds. */
    public record PackedInput(String text, int passages) {
    }

    public PackedInput pack(RetrievalContext context) {
        StringBuilder packed = new StringBuilder(context.question());
        int used = 0;
        for (SearchHit hit : context.hits()) {
            String title = RagInputFormatter.stripQuotes(hit.chunk().title() == null ? "" : hit.chunk().title());
            String candidate = packed + RagInputFormatter.DOCUMENT_SEPARATOR + title
                    + RagInputFormatter.TITLE_SEPARATOR + hit.chunk().text();
            candidate = candidate.replace("  ", " ");
            if (used > 0 && !fits(candidate)) {
                break;
            }
            packed.setLength(0);
            packed.append(candidate);
            used++;
        }
        return new PackedInput(packed.toString(), used);
    }

    /** Counts real tokens (attention mask), since a tokenizer.json may pad to a fixed length. */
    private boolean fits(String text) {
        Encoding encoding = tokenizer.encode(text);
        if (encoding.exceedMaxLength()) {
            return false;
        }
        long tokens = 0;
        for (long attended : encoding.getAttentionMask()) {
            tokens += attended;
        }
        return tokens <= maxInputTokens;
    }
}
