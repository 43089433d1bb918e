package io.streamrag.ingest.chunk;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a document body into passages of at most {@code chunkTokens} tokens of the embedder's own tokenizer.
 *
 * <p>A chunk ends at the last sentence start that leaves it at least half full; failing that at the last word start;
 * failing that (one enormous word) at the token budget. The next chunk starts at the earliest sentence start within
 * the last {@code overlapTokens} tokens of the previous chunk, else at the earliest word start there, so overlaps
 * repeat whole sentences where they can. The budget shrinks when the title prefix plus the passage plus the model's
 * special tokens would not fit the model's maximum input, so no chunk is ever truncated by the embedder. Titles longer
 * than a quarter of the model's input are shortened in the prefix. Thread-safe.
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
        String prefix = titlePrefix(title);
        int prefixTokens = prefix.isEmpty() ? 0 : TokenSpans.of(tokenizer, prefix).size();
        int budget = Math.min(settings.chunkTokens(), maxModelTokens - specialTokens - prefixTokens);
        int overlap = Math.min(settings.overlapTokens(), budget / 2);

        TokenSpans tokens = TokenSpans.of(tokenizer, body);
        List<Chunk> chunks = new ArrayList<>();
        int start = 0;
        while (start < tokens.size()) {
            int end = chunkEnd(tokens, start, budget);
            String text = tokens.slice(body, start, end);
            int index = chunks.size();
            chunks.add(new Chunk(index, ChunkIds.of(documentId, index), text, prefix + text, end - start));
            if (end == tokens.size()) {
                break;
            }
            start = overlap == 0 ? end : nextStart(tokens, start, end, overlap);
        }
        return chunks;
    }

    private static int chunkEnd(TokenSpans tokens, int start, int budget) {
        int limit = start + budget;
        if (limit >= tokens.size()) {
            return tokens.size();
        }
        for (int end = limit; end >= start + Math.max(1, budget / 2); end--) {
            if (tokens.startsSentence(end)) {
                return end;
            }
        }
        for (int end = limit; end > start; end--) {
            if (tokens.startsWord(end)) {
                return end;
            }
        }
        return limit;
    }

    private static int nextStart(TokenSpans tokens, int start, int end, int overlap) {
        int from = Math.max(start + 1, end - overlap);
        for (int next = from; next < end; next++) {
            if (tokens.startsSentence(next)) {
                return next;
            }
        }
        for (int next = from; next < end; next++) {
            if (tokens.startsWord(next)) {
                return next;
            }
        }
        return from;
    }

    private String titlePrefix(String title) {
        String prefix = EmbeddingText.prefix(title);
        if (prefix.isEmpty()) {
            return prefix;
        }
        TokenSpans titleTokens = TokenSpans.of(tokenizer, title.strip());
        int cap = maxModelTokens / 4;
        return titleTokens.size() <= cap ? prefix : EmbeddingText.prefix(titleTokens.slice(title.strip(), 0, cap));
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
