package io.streamrag.text;

import com.ibm.icu.text.BreakIterator;
import com.ibm.icu.text.FilteredBreakIteratorBuilder;
import com.ibm.icu.util.ULocale;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Sentence boundaries: ICU's sentence rules (Unicode UAX #29) with CLDR's English abbreviation suppressions
 * ("Mt.", "Mr.", "e.g.", "U.S." ...), so "Kenya as Mt. Kenya" is one sentence, in any script (CJK full stops,
 * Hebrew and Arabic text, emoji). Two refinements ICU does not make, kept here because they are about the shape of
 * real documents rather than about a language:
 * <ul>
 *   <li>no break after a person's initials ("John F. Kennedy", "J.W. Smith"): CLDR lists abbreviations, not single
 *       capital letters, and a lone capital letter with a full stop ends a sentence far more rarely than it abbreviates
 *       a name;</li>
 *   <li>no break at a single line break inside a sentence (hard-wrapped text): ICU breaks after every line feed, but a
 *       line that does not end with sentence punctuation and is followed by a lower-case word continues the
 *       sentence. A blank line always ends one.</li>
 * </ul>
 * Thread-safe (one iterator per thread: ICU iterators keep state).
 */
public final class SentenceSegmenter {

    private static final ThreadLocal<BreakIterator> ITERATOR = ThreadLocal.withInitial(() ->
            FilteredBreakIteratorBuilder.getInstance(ULocale.ENGLISH)
                    .wrapIteratorWithFilter(BreakIterator.getSentenceInstance(ULocale.ENGLISH)));

    /** Initials right before a candidate break: "F. ", "J.W. " (at the start or after a space or an opening mark). */
    private static final Pattern INITIALS = Pattern.compile("(?:^|[\\s(\"'“‘])(?:\\p{Lu}\\.)+\\s*$");
    private static final int LOOK_BACK = 16;

    private SentenceSegmenter() {
    }

    /**
     * Where sentences start, as UTF-16 indices into {@code text}, ascending; always starts with 0 for a non-empty
     * text. A start may be followed by whitespace (trim when quoting).
     */
    public static int[] sentenceStarts(String text) {
        if (text == null || text.isEmpty()) {
            return new int[0];
        }
        BreakIterator boundaries = ITERATOR.get();
        boundaries.setText(text);
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int boundary = boundaries.next(); boundary != BreakIterator.DONE && boundary < text.length();
             boundary = boundaries.next()) {
            if (!continuesSentence(text, boundary)) {
                starts.add(boundary);
            }
        }
        boundaries.setText(""); // do not keep a large document alive in the thread-local
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The sentences of {@code text}, trimmed, blank ones left out. */
    public static List<String> sentences(String text) {
        List<String> sentences = new ArrayList<>();
        int[] starts = sentenceStarts(text);
        for (int i = 0; i < starts.length; i++) {
            int end = i + 1 < starts.length ? starts[i + 1] : text.length();
            String sentence = text.substring(starts[i], end).strip();
            if (!sentence.isEmpty()) {
                sentences.add(sentence);
            }
        }
        return sentences;
    }

    private static boolean continuesSentence(String text, int boundary) {
        String before = text.substring(Math.max(0, boundary - LOOK_BACK), boundary);
        if (INITIALS.matcher(before).find() && nextLetterIsUpperCase(text, boundary)) {
            return true;
        }
        return breaksAtOneLineFeed(text, boundary) && !endsWithSentencePunctuation(text, boundary)
                && Character.isLowerCase(text.codePointAt(boundary));
    }

    private static boolean nextLetterIsUpperCase(String text, int from) {
        for (int i = from; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            int c = text.codePointAt(i);
            if (Character.isLetter(c)) {
                return Character.isUpperCase(c) || Character.isTitleCase(c);
            }
            if (!Character.isWhitespace(c)) {
                return false;
            }
        }
        return false;
    }

    /** The break sits right after exactly one line feed (not a blank line). */
    private static boolean breaksAtOneLineFeed(String text, int boundary) {
        int i = boundary - 1;
        if (i < 0 || text.charAt(i) != '\n') {
            return false;
        }
        for (i--; i >= 0 && (text.charAt(i) == ' ' || text.charAt(i) == '\t' || text.charAt(i) == '\r'); i--) {
            // skip trailing spaces of the previous line
        }
        return i >= 0 && text.charAt(i) != '\n';
    }

    private static boolean endsWithSentencePunctuation(String text, int boundary) {
        for (int i = boundary - 1; i >= 0; i--) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return ".!?:;…。！？".indexOf(c) >= 0;
            }
        }
        return true;
    }
}
