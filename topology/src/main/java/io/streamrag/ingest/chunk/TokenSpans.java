package io.streamrag.ingest.chunk;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A text as the model's tokenizer sees it: the character span of every token, which tokens start a word and which
 * start a sentence. The whole text is tokenized even when the tokenizer is configured to truncate (the pieces it
 * would cut off come back as overflowing encodings with offsets into the same text); padding and special tokens are
 * left out.
 */
final class TokenSpans {

    private final int[] starts;
    private final int[] ends;
    private final boolean[] wordStarts;
    private final boolean[] sentenceStarts;

    private TokenSpans(int[] starts, int[] ends, boolean[] wordStarts, boolean[] sentenceStarts) {
        this.starts = starts;
        this.ends = ends;
        this.wordStarts = wordStarts;
        this.sentenceStarts = sentenceStarts;
    }

    static TokenSpans of(HuggingFaceTokenizer tokenizer, String text) {
        List<Encoding> pieces = new ArrayList<>();
        Encoding encoding = tokenizer.encode(text, false, true);
        pieces.add(encoding);
        pieces.addAll(Arrays.asList(encoding.getOverflowing()));

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
                starts[n] = spans[i].getStart();
                ends[n] = spans[i].getEnd();
                words[n] = wordIds[i];
                n++;
            }
        }
        boolean[] wordStarts = new boolean[n];
        for (int i = 0; i < n; i++) {
            // a new word id, or whitespace before the token where the tokenizer gives no word ids
            wordStarts[i] = i == 0 || (words[i] >= 0 ? words[i] != words[i - 1] : starts[i] > ends[i - 1]);
        }
        return new TokenSpans(Arrays.copyOf(starts, n), Arrays.copyOf(ends, n), wordStarts,
                sentenceStarts(text, Arrays.copyOf(starts, n)));
    }

    /** Marks the first token at or after every sentence boundary the JDK's sentence rules find. */
    private static boolean[] sentenceStarts(String text, int[] starts) {
        boolean[] marks = new boolean[starts.length];
        BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
        sentences.setText(text);
        int token = 0;
        for (int boundary = sentences.first(); boundary != BreakIterator.DONE && token < starts.length;
             boundary = sentences.next()) {
            while (token < starts.length && starts[token] < boundary) {
                token++;
            }
            if (token < starts.length) {
                marks[token] = true;
            }
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

    /** The text from the start of token {@code from} to the end of token {@code to - 1}. */
    String slice(String text, int from, int to) {
        return text.substring(starts[from], ends[to - 1]);
    }
}
