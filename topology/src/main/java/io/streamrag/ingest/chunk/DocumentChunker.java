package io.streamrag.ingest.chunk;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a document body into passages of at most {@code chunkTokens} tokens of the embedder's own tokenizer.
 *
 * <p>The body is read as sections (headings and paragraphs, see {@link Outline}); each section is cut on its
 * paragraph and sentence structure with content-defined boundaries (see {@link ChunkBoundaries}), so chunks end
 * between sentences (between words only inside a sentence longer than a chunk, between tokens only inside one
 * enormous word) and an edit in one paragraph leaves the text of the chunks elsewhere unchanged. A passage is the body
 * text exactly as written, whatever the script (indices are converted from the tokenizer's code points, see
 * {@link TokenSpans}). What is embedded is the title and the section heading in front of the passage. The budget
 * shrinks when that prefix plus the passage plus the model's special tokens would not fit the model's maximum input,
 * so no chunk is ever truncated by the embedder; titles longer than a quarter of the model's input are shortened in
 * the prefix, and a heading that would push the prefix past that quarter is left out of it. Thread-safe.
 */
public final class DocumentChunker {

    private final HuggingFaceTokenizer tokenizer;
    private final ChunkingSettings settings;
    private final int maxModelTokens;
    private final int specialTokens;

    public DocumentChunker(HuggingFaceTokenizer tokenizer, int maxModelTokens, ChunkingSettings settings) {
        this.tokenizer = tokenizer;
        this.settings = settings;
        this.maxModelTokens = maxModelTokens;
        this.specialTokens = countSpecialTokens(tokenizer);
        if (maxModelTokens - specialTokens < 16) {
            throw new IllegalArgumentException("the model takes only " + maxModelTokens + " tokens, too few to chunk");
        }
    }

    /** The chunks of the document, in order; none for an empty or blank body. */
    public List<Chunk> chunk(String documentId, String title, String body) {
        if (body == null || body.isBlank()) {
            return List.of();
        }
        String titlePrefix = titlePrefix(title);
        TokenSpans tokens = TokenSpans.of(tokenizer, body);
        List<Chunk> chunks = new ArrayList<>();
        for (Outline.Section section : Outline.of(tokens)) {
            String prefix = sectionPrefix(titlePrefix, title, section.heading());
            int prefixTokens = prefix.isEmpty() ? 0 : TokenSpans.of(tokenizer, prefix).size();
            int budget = Math.min(settings.chunkTokens(), maxModelTokens - specialTokens - prefixTokens);
            int overlap = Math.min(settings.overlapTokens(), budget / 2);
            for (int[] range : ChunkBoundaries.of(tokens, section.paragraphs(), budget, overlap)) {
                String text = tokens.slice(range[0], range[1]);
                int index = chunks.size();
                chunks.add(new Chunk(index, ChunkIds.of(documentId, index), text, prefix + text, range[1] - range[0]));
            }
        }
        return chunks;
    }

    /** Title, then the section heading unless it only repeats the title or would make the prefix too long. */
    private String sectionPrefix(String titlePrefix, String title, String heading) {
        if (heading == null || Outline.repeats(heading, title)) {
            return titlePrefix;
        }
        String prefix = titlePrefix + EmbeddingText.prefix(heading);
        return TokenSpans.of(tokenizer, prefix).size() <= maxModelTokens / 4 ? prefix : titlePrefix;
    }

    private String titlePrefix(String title) {
        String prefix = EmbeddingText.prefix(title);
        if (prefix.isEmpty()) {
            return prefix;
        }
        TokenSpans titleTokens = TokenSpans.of(tokenizer, title.strip());
        int cap = maxModelTokens / 4;
        return titleTokens.size() <= cap ? prefix : EmbeddingText.prefix(titleTokens.slice(0, cap));
    }

    private static int countSpecialTokens(HuggingFaceTokenizer tokenizer) {
        Encoding encoding = tokenizer.encode("a", true, false);
        long[] special = encoding.getSpecialTokenMask();
        long[] attention = encoding.getAttentionMask();
        int count = 0;
        for (int i = 0; i < special.length; i++) {
            if (special[i] == 1 && attention[i] == 1) {
                count++;
            }
        }
        return count;
    }
}
