package io.streamrag.qa.extractive;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The content words of a text, lower-cased and lightly normalised (possessive and plural endings dropped), without
 * function words: what a question and the sentence answering it share. Hand-written because the build's Lucene has
 * no analysers (they live in lucene-analysis-common) and the answer scorer needs only this much: exact surface
 * matching after case folding, which is what reading-comprehension baselines use.
 */
final class QuestionTerms {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}\\p{M}'’-]*");

    /** English function words and question words: they match everywhere and say nothing about the answer. */
    private static final Set<String> STOP_WORDS = Set.of("a", "about", "after", "all", "also", "an", "and", "any",
            "are", "as", "at", "be", "been", "before", "being", "between", "both", "but", "by", "can", "could", "did",
            "do", "does", "during", "each", "for", "from", "had", "has", "have", "he", "her", "his", "how", "i", "if",
            "in", "into", "is", "it", "its", "many", "may", "more", "most", "much", "name", "not", "of", "on", "one",
            "or", "other", "over", "she", "so", "some", "such", "than", "that", "the", "their", "them", "then",
            "there", "these", "they", "this", "those", "through", "to", "type", "under", "up", "us", "used", "was",
            "we", "were", "what", "when", "where", "which", "while", "who", "whom", "whose", "why", "will", "with",
            "would", "you");

    private QuestionTerms() {
    }

    static Set<String> of(String text) {
        Set<String> terms = new LinkedHashSet<>();
        Matcher words = WORD.matcher(text);
        while (words.find()) {
            String term = normalise(words.group());
            if (!term.isEmpty() && !STOP_WORDS.contains(term)) {
                terms.add(term);
            }
        }
        return terms;
    }

    static String normalise(String word) {
        String term = word.toLowerCase(Locale.ROOT).replace('’', '\'');
        if (term.endsWith("'s")) {
            term = term.substring(0, term.length() - 2);
        }
        term = term.replace("'", "");
        if (term.length() > 4 && term.endsWith("ies")) {
            return term.substring(0, term.length() - 3) + "y";
        }
        if (term.length() > 3 && term.endsWith("s") && !term.endsWith("ss") && !term.endsWith("us")) {
            return term.substring(0, term.length() - 1);
        }
        return term;
    }
}
