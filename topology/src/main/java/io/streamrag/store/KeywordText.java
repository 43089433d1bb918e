package io.streamrag.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.shingle.ShingleAnalyzerWrapper;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * What the keyword leg indexes and how text becomes its terms, shared by both stores so a question matches the same
 * terms in Lucene and in Qdrant: Lucene's {@link EnglishAnalyzer} (standard tokenizer, possessives removed, lower
 * case, English stop words and {@link #QUESTION_WORDS}, Porter stemming) and word pairs. A chunk is indexed with its document title, so a passage that never
 * repeats its subject's name ("It was founded in 1911") is still found by it.
 */
public final class KeywordText {

    /** Thread-safe: Lucene analyzers hand each thread its own token stream. */
    /**
     * Words a question is phrased with that say nothing about its subject: interrogatives, auxiliaries and
     * pronouns, on top of Lucene's English stop words. A passage rarely contains "what" or "did", so as keywords they
     * would carry a high idf and pull in the few passages that happen to; they are left out on both sides. Words that
     * are also names or dates ("May", "US", "I" of "World War I") stay.
     */
    static final List<String> QUESTION_WORDS = List.of("what", "which", "who", "whom", "whose", "when", "where",
            "why", "how", "did", "does", "do", "done", "has", "have", "had", "were", "been", "being", "can",
            "could", "would", "should", "might", "must", "shall", "from", "about", "than", "its", "his", "her", "he",
            "she", "we", "you", "me", "my", "our", "your", "them", "him");

    /**
     * English analysis, then word pairs (shingles) beside the single words: a passage that has "world war" as a
     * phrase outranks one that has "world" and "war" apart. Pairs span a removed stop word (the gap is kept as an
     * empty word), so "Bank of America" still pairs its two names.
     */
    private static final Analyzer ANALYZER = new ShingleAnalyzerWrapper(new EnglishAnalyzer(stopWords()), 2, 2, " ",
            true, false, "");

    private static CharArraySet stopWords() {
        CharArraySet stops = new CharArraySet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, false);
        stops.addAll(QUESTION_WORDS);
        return CharArraySet.unmodifiableSet(stops);
    }

    private KeywordText() {
    }

    /** The analyzer of the keyword field (for the Lucene index writer). */
    public static Analyzer analyzer() {
        return ANALYZER;
    }

    /** The text the keyword leg indexes for a chunk: its title, then its passage. */
    public static String of(StoredChunk chunk) {
        return of(chunk.title(), chunk.text());
    }

    public static String of(String title, String text) {
        String body = text == null ? "" : text;
        return title == null || title.isBlank() ? body : title + "\n" + body;
    }

    /** The analysed terms of {@code text}, in order, repeats kept (they count as term frequency). */
    public static List<String> terms(String text) {
        List<String> terms = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return terms;
        }
        try (TokenStream stream = ANALYZER.tokenStream("keywords", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            // analysing a String reads no I/O; a failure here is a bug
            throw new UncheckedIOException("Analysing keyword text failed", e);
        }
        return terms;
    }
}
