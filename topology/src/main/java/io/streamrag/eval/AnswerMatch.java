package io.streamrag.eval;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether an answer contains a gold answer, after SQuAD's answer normalisation (lower case, punctuation and the
 * articles a/an/the removed, white space collapsed), so "the Normans." contains "Normans".
 */
public final class AnswerMatch {

    private static final Pattern PUNCTUATION = Pattern.compile("\\p{P}+");
    private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private AnswerMatch() {
    }

    public static boolean containsGold(String answer, List<String> golds) {
        if (answer == null) {
            return false;
        }
        String normalisedAnswer = " " + normalise(answer) + " ";
        for (String gold : golds) {
            String normalisedGold = normalise(gold);
            if (!normalisedGold.isEmpty() && normalisedAnswer.contains(" " + normalisedGold + " ")) {
                return true;
            }
        }
        return false;
    }

    static String normalise(String text) {
        String lower = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        String noPunctuation = PUNCTUATION.matcher(lower).replaceAll(" ");
        String noArticles = ARTICLES.matcher(noPunctuation).replaceAll(" ");
        return SPACES.matcher(noArticles).replaceAll(" ").strip();
    }
}
