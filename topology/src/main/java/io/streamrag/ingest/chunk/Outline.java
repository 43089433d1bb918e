package io.streamrag.ingest.chunk;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The sections of a body: paragraphs (separated by blank lines) grouped under the heading before them. A heading is a
 * one-line paragraph that Markdown marks with {@code #}, or that looks like one in plain text: at most
 * {@value #MAX_HEADING_WORDS} words, starting with a capital letter or a digit, not ending like a sentence, and
 * followed by more text. Consecutive headings are joined ("Part I. Eruptions"). A heading is taken out of the passage
 * text and becomes context in front of every passage of its section instead (see {@link DocumentChunker}), so an
 * answer never quotes a bare heading and every passage of a long section still says what it is about.
 */
final class Outline {

    static final int MAX_HEADING_WORDS = 12;

    /** A heading (null before the first one) and its paragraphs as token ranges {@code [from, to)}. */
    record Section(String heading, List<int[]> paragraphs) {
    }

    private Outline() {
    }

    static List<Section> of(TokenSpans tokens) {
        List<int[]> paragraphs = paragraphs(tokens);
        List<Section> sections = new ArrayList<>();
        String heading = null;
        List<int[]> current = new ArrayList<>();
        for (int p = 0; p < paragraphs.size(); p++) {
            int[] paragraph = paragraphs.get(p);
            boolean last = p == paragraphs.size() - 1;
            String text = tokens.slice(paragraph[0], paragraph[1]);
            if (!last && isHeading(tokens, paragraph, text)) {
                if (!current.isEmpty()) {
                    sections.add(new Section(heading, current));
                    current = new ArrayList<>();
                    heading = null;
                }
                heading = heading == null ? headingText(text) : EmbeddingText.prefix(heading) + headingText(text);
            } else {
                current.add(paragraph);
            }
        }
        if (!current.isEmpty()) {
            sections.add(new Section(heading, current));
        }
        return sections;
    }

    private static List<int[]> paragraphs(TokenSpans tokens) {
        List<int[]> paragraphs = new ArrayList<>();
        int start = 0;
        for (int token = 1; token <= tokens.size(); token++) {
            if (token == tokens.size() || tokens.startsParagraph(token)) {
                paragraphs.add(new int[] {start, token});
                start = token;
            }
        }
        return paragraphs;
    }

    private static boolean isHeading(TokenSpans tokens, int[] paragraph, String text) {
        if (text.indexOf('\n') >= 0 || text.isEmpty()) {
            return false;
        }
        if (text.startsWith("#")) {
            return !headingText(text).isEmpty();
        }
        int words = 0;
        for (int token = paragraph[0]; token < paragraph[1]; token++) {
            if (tokens.startsWord(token)) {
                words++;
            }
        }
        int first = text.codePointAt(0);
        char lastChar = text.charAt(text.length() - 1);
        return words <= MAX_HEADING_WORDS
                && (Character.isUpperCase(first) || Character.isTitleCase(first) || Character.isDigit(first))
                && ".!?,;:…。！？\"'”’)]".indexOf(lastChar) < 0;
    }

    /** The heading without Markdown's {@code #} marks. */
    private static String headingText(String text) {
        return text.replaceFirst("^#+", "").replaceFirst("\\s#+\\s*$", "").strip();
    }

    /** Whether a heading only repeats the document title (then it adds nothing in front of the passages). */
    static boolean repeats(String heading, String title) {
        return title != null && heading.strip().toLowerCase(Locale.ROOT).equals(title.strip().toLowerCase(Locale.ROOT));
    }
}
