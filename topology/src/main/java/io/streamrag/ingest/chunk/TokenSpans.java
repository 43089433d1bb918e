package io.streamrag.ingest.chunk;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import io.streamrag.text.SentenceSegmenter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A text as the model's tokenizer sees it: where every token starts and ends in the Java string, which tokens start a
 * word, a sentence or a paragraph. The whole text is tokenized even when the tokenizer is configured to truncate (the
 * pieces it would cut off come back as overflowing encodings with offsets into the same text); padding and special
 * tokens are left out.
 *
 * <p>The tokenizer reports offsets in Unicode code points (Rust {@code char}s), Java strings index UTF-16 units: every
 * character outside the Basic Multilingual Plane (emoji, mathematical letters, rare CJK) is two units. Offsets are
 * converted here, once, so the rest of the chunker works on string indices only.
 */
final class TokenSpans {

    private final String text;
    private final int[] starts;
    private final int[] ends;
    private final boolean[] wordStarts;
    private final boolean[] sentenceStarts;
    private final boolean[] paragraphStarts;

    private TokenSpans(String text, int[] starts, int[] ends, boolean[] wordStarts, boolean[] sentenceStarts,
                       boolean[] paragraphStarts) {
        this.text = text;
        this.starts = starts;
        this.ends = ends;
        this.wordStarts = wordStarts;
        this.sentenceStarts = sentenceStarts;
        this.paragraphStarts = paragraphStarts;
    }

    static TokenSpans of(HuggingFaceTokenizer tokenizer, String text) {
        List<Encoding> pieces = new ArrayList<>();
        Encoding encoding = tokenizer.encode(text, false, true);
        pieces.add(encoding);
        pieces.addAll(Arrays.asList(encoding.getOverflowing()));

        int[] utf16Index = utf16IndexOfCodePoints(text);
        int capacity = pieces.stream().mapToInt(piece -> piece.getIds().length).sum();
        int[] starts = new int[capacity];
        int[] ends = new int[capacity];
        long[] words = new long[capacity];
        int n = 0;
        for (Encoding piece : pieces) {
            CharSpan[] spans = piece.getCharTokenSpans();
            long[] attention = piece.getAttentionMask();
            long[] special = piece.getSpecialTokenMask();
            long[] wordIds = piece.getWordIds();
            for (int i = 0; i < spans.length; i++) {
                if (attention[i] == 0 || special[i] == 1 || spans[i] == null) {
                    continue;
                }
                // clamped: an offset past the text (never seen) must not fail the document
                starts[n] = utf16Index[Math.min(spans[i].getStart(), utf16Index.length - 1)];
                ends[n] = utf16Index[Math.min(spans[i].getEnd(), utf16Index.length - 1)];
                words[n] = wordIds[i];
                n++;
            }
        }
        starts = Arrays.copyOf(starts, n);
        ends = Arrays.copyOf(ends, n);
        boolean[] wordStarts = new boolean[n];
        boolean[] paragraphStarts = new boolean[n];
        for (int i = 0; i < n; i++) {
            // a new word id, or whitespace before the token where the tokenizer gives no word ids
            wordStarts[i] = i == 0 || (words[i] >= 0 ? words[i] != words[i - 1] : starts[i] > ends[i - 1]);
            paragraphStarts[i] = i == 0 || blankLineBetween(text, ends[i - 1], starts[i]);
        }
        return new TokenSpans(text, starts, ends, wordStarts, sentenceStarts(text, starts), paragraphStarts);
    }

    /** {@code index[c]} = UTF-16 index of code point {@code c}; one past the last code point maps to the length. */
    private static int[] utf16IndexOfCodePoints(String text) {
        int[] index = new int[text.codePointCount(0, text.length()) + 1];
        int utf16 = 0;
        for (int c = 0; c < index.length - 1; c++) {
            index[c] = utf16;
            utf16 += Character.charCount(text.codePointAt(utf16));
        }
        index[index.length - 1] = text.length();
        return index;
    }

    private static boolean blankLineBetween(String text, int from, int to) {
        int lineFeeds = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\u2029') {
                lineFeeds += c == '\n' ? 1 : 2;
            } else if (!Character.isWhitespace(c)) {
                lineFeeds = 0; // something the tokenizer dropped (a control character): not a blank line
            }
        }
        return lineFeeds >= 2;
    }

    /** Marks the first token at or after every sentence boundary. */
    private static boolean[] sentenceStarts(String text, int[] starts) {
        boolean[] marks = new boolean[starts.length];
        int token = 0;
        for (int boundary : SentenceSegmenter.sentenceStarts(text)) {
            while (token < starts.length && starts[token] < boundary) {
                token++;
            }
            if (token == starts.length) {
                break;
            }
            marks[token] = true;
        }
        return marks;
    }

    int size() {
        return starts.length;
    }

    boolean startsWord(int token) {
        return wordStarts[token];
    }

    boolean startsSentence(int token) {
        return sentenceStarts[token];
    }

    boolean startsParagraph(int token) {
        return paragraphStarts[token] || token == 0;
    }

    /**
     * The text of tokens {@code from} to {@code to - 1}: from the start of the first token up to where the next token
     * starts (the end of the text after the last token), trailing whitespace removed. Characters the tokenizer drops
     * (combining marks, variation selectors, zero-width joiners inside emoji) stay with the token they follow, so
     * consecutive slices lose nothing but the whitespace between them.
     */
    String slice(int from, int to) {
        int end = to < starts.length ? starts[to] : text.length();
        while (end > starts[from] && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(starts[from], end);
    }

    /** Where token {@code token} starts in the text (UTF-16 index). */
    int startOf(int token) {
        return starts[token];
    }
}
