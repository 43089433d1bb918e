package io.streamrag.qa.extractive;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Splits a passage into trimmed, non-blank sentences with the JDK's rule-based sentence boundaries. */
public final class SentenceSplitter {

    public List<String> split(String passage) {
        List<String> sentences = new ArrayList<>();
        if (passage == null || passage.isBlank()) {
            return sentences;
        }
        // a new iterator per call: BreakIterator keeps state and is not thread-safe
        BreakIterator boundaries = BreakIterator.getSentenceInstance(Locale.ROOT);
        boundaries.setText(passage);
        int start = boundaries.first();
        for (int end = boundaries.next(); end != BreakIterator.DONE; start = end, end = boundaries.next()) {
            String sentence = passage.substring(start, end).strip();
            if (!sentence.isEmpty()) {
                sentences.add(sentence);
            }
        }
        return sentences;
    }
}
