package io.streamrag.ingest.chunk;

/**
 * What is embedded for a chunk: {@code "<title>. <passage>"}, or {@code "<title> <passage>"} when the title already
 * ends with sentence punctuation, or the passage alone when the document has no title. The title gives every
 * passage of a long document the context of what the document is about; the full stop keeps it a sentence of its
 * own for the tokenizer rather than run-on words.
 */
public final class EmbeddingText {

    private EmbeddingText() {
    }

    /** The prefix put before every passage of a document with this title; empty without a title. */
    public static String prefix(String title) {
        if (title == null || title.isBlank()) {
            return "";
        }
        String trimmed = title.strip();
        char last = trimmed.charAt(trimmed.length() - 1);
        boolean closed = last == '.' || last == '!' || last == '?' || last == ':';
        return closed ? trimmed + " " : trimmed + ". ";
    }
}
