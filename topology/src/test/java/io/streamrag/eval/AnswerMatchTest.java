package io.streamrag.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerMatchTest {

    @Test
    void matchesAfterSquadNormalisation() {
        assertThat(AnswerMatch.containsGold("They settled in the north of France.", List.of("France"))).isTrue();
        assertThat(AnswerMatch.containsGold("The Normans, a people.", List.of("the Normans"))).isTrue();
        assertThat(AnswerMatch.containsGold("In 1066 Duke William won.", List.of("1066"))).isTrue();
    }

    @Test
    void wholeWordsOnly() {
        assertThat(AnswerMatch.containsGold("Frances was there.", List.of("France"))).isFalse();
        assertThat(AnswerMatch.containsGold("nothing here", List.of("France", "Paris"))).isFalse();
        assertThat(AnswerMatch.containsGold(null, List.of("France"))).isFalse();
    }
}
