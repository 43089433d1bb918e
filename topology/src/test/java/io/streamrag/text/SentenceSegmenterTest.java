package io.streamrag.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SentenceSegmenterTest {

    @Test
    void abbreviationsAndInitialsDoNotEndSentences() {
        assertThat(SentenceSegmenter.sentences(
                "The highest peak in Kenya as Mt. Kenya is known. It was named by Roosevelt, John F. Kennedy's "
                        + "predecessor? No. The firm of J.W. Smith built it in 1901."))
                .containsExactly("The highest peak in Kenya as Mt. Kenya is known.",
                        "It was named by Roosevelt, John F. Kennedy's predecessor?",
                        "No.",
                        "The firm of J.W. Smith built it in 1901.");
    }

    @Test
    void splitsCjkRightToLeftAndEmojiText() {
        assertThat(SentenceSegmenter.sentences("東京は日本の首都です。大阪は大きい。"))
                .containsExactly("東京は日本の首都です。", "大阪は大きい。");
        assertThat(SentenceSegmenter.sentences("שלום עולם. זה משפט שני."))
                .containsExactly("שלום עולם.", "זה משפט שני.");
        assertThat(SentenceSegmenter.sentences("😀 Emoji first. 🎉 Then a party!"))
                .containsExactly("😀 Emoji first.", "🎉 Then a party!");
    }

    @Test
    void aHardWrappedLineContinuesItsSentenceButABlankLineOrAHeadingLineEndsIt() {
        assertThat(SentenceSegmenter.sentences("Etna is an active\nstratovolcano in Sicily.\n\nIt erupts often."))
                .containsExactly("Etna is an active\nstratovolcano in Sicily.", "It erupts often.");
        assertThat(SentenceSegmenter.sentences("Eruptions\nEtna erupts often."))
                .containsExactly("Eruptions", "Etna erupts often.");
    }

    @Test
    void startsAreUtf16IndicesBeginningAtZero() {
        String text = "😀 One. Two.";
        int[] starts = SentenceSegmenter.sentenceStarts(text);
        assertThat(starts).containsExactly(0, text.indexOf("Two"));
        assertThat(SentenceSegmenter.sentenceStarts("")).isEmpty();
    }
}
