package io.streamrag.qa.extractive;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How well a sentence of the retrieved passages answers the question. Embedding similarity alone prefers sentences
 * that restate the question's topic; the sentence that answers usually also shares the question's rarer words
 * (names, dates, the thing asked about) and, for "how many / when / what year" questions, contains a number. So the
 * score adds to the cosine:
 * <ul>
 *   <li>term overlap: the share of the question's content words (weighted by their inverse document frequency over
 *       the retrieved sentences, so a word in every sentence counts little) that the sentence or its document's
 *       title contains: the sentence is read in its passage's context, so "It is about 3,357 metres high" in a
 *       document titled "Mount Etna" is about Mount Etna. Words match when equal or when one extends the other
 *       by an ending ("tall" / "tallest", "develop" / "developed"; both at least four letters), a stemmer's
 *       effect without a stemmer;</li>
 *   <li>an answer-type cue: a number for quantity and time questions;</li>
 *   <li>the passage's own retrieval score (a sentence in a passage that matches the question as a whole is more
 *       likely to be the answer than an equally similar sentence in a weaker passage);</li>
 * </ul>
 * and leaves out fragments (fewer than four words and no sentence punctuation: headings, list labels) unless
 * nothing else exists. The weights
 * are round numbers set before measuring, not fitted to a data set (docs/benchmarks.md has the effect per article).
 */
final class AnswerSentenceScorer {

    static final double OVERLAP_WEIGHT = 0.5;
    static final double ANSWER_TYPE_WEIGHT = 0.1;
    static final double PASSAGE_WEIGHT = 0.25;

    private static final Pattern QUANTITY_QUESTION = Pattern.compile(
            "(?i)\\b(how (many|much|long|old|tall|high|far|large|big|deep|wide|often)|when|what (year|date|time|"
                    + "percentage|number|age|century|decade)|which (year|century|decade))\\b");
    private static final Pattern NUMBER = Pattern.compile("\\p{N}|\\b(one|two|three|four|five|six|seven|eight|nine|"
            + "ten|hundred|thousand|million|billion|century|January|February|March|April|May|June|July|August|"
            + "September|October|November|December)\\b", Pattern.CASE_INSENSITIVE);

    private final Set<String> questionTerms;
    private final boolean quantityQuestion;
    private final Map<String, Double> idf = new HashMap<>();

    /** @param sentences every candidate sentence of the retrieved passages (for the term weights) */
    AnswerSentenceScorer(String question, List<String> sentences) {
        this.questionTerms = QuestionTerms.of(question);
        this.quantityQuestion = QUANTITY_QUESTION.matcher(question).find();
        Map<String, Integer> documentFrequency = new HashMap<>();
        for (String sentence : sentences) {
            Set<String> terms = QuestionTerms.of(sentence);
            for (String term : questionTerms) {
                if (matches(term, terms)) {
                    documentFrequency.merge(term, 1, Integer::sum);
                }
            }
        }
        int n = sentences.size();
        for (String term : questionTerms) {
            int df = documentFrequency.getOrDefault(term, 0);
            idf.put(term, Math.log(1.0 + (n + 1.0) / (df + 0.5)));
        }
    }

    private static boolean matches(String questionTerm, Set<String> terms) {
        if (terms.contains(questionTerm)) {
            return true;
        }
        for (String term : terms) {
            String shorter = term.length() < questionTerm.length() ? term : questionTerm;
            String longer = shorter == term ? questionTerm : term;
            if (shorter.length() >= 4 && longer.startsWith(shorter)) {
                return true;
            }
        }
        return false;
    }

    static boolean isFragment(String sentence) {
        String stripped = sentence.strip();
        boolean punctuated = !stripped.isEmpty() && ".!?。！？…\"”)".indexOf(stripped.charAt(stripped.length() - 1)) >= 0;
        return !punctuated && stripped.split("\\s+").length < 4;
    }

    /**
     * @param sentence     the candidate
     * @param title        the title of the document the sentence comes from (may be null)
     * @param cosine       cosine of the question and the sentence embeddings
     * @param passageScore the retrieval score (cosine) of the passage the sentence comes from
     */
    double score(String sentence, String title, double cosine, double passageScore) {
        return cosine + OVERLAP_WEIGHT * overlap(sentence, title) + PASSAGE_WEIGHT * passageScore
                + (quantityQuestion && NUMBER.matcher(sentence).find() ? ANSWER_TYPE_WEIGHT : 0.0);
    }

    double overlap(String sentence, String title) {
        double total = 0;
        double shared = 0;
        Set<String> terms = new HashSet<>(QuestionTerms.of(sentence));
        if (title != null) {
            terms.addAll(QuestionTerms.of(title));
        }
        for (String term : questionTerms) {
            double weight = idf.get(term);
            total += weight;
            if (matches(term, terms)) {
                shared += weight;
            }
        }
        return total == 0 ? 0 : shared / total;
    }
}
