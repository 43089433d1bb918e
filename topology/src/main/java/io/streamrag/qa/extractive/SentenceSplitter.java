package io.streamrag.qa.extractive;

import io.streamrag.text.SentenceSegmenter;
import java.util.ArrayList;
import java.util.List;

/** Splits a passage into trimmed, non-blank sentences (ICU rules with abbreviation suppressions). */
public final class SentenceSplitter {

    public List<String> split(String passage) {
        if (passage == null || passage.isBlank()) {
            return new ArrayList<>();
        }
        return SentenceSegmenter.sentences(passage);
    }
}
