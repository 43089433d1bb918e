package io.streamrag.inference.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LogitsProcessorTest {
    private static final int VOCAB = 8;

    @Test
    void noRepeatNgramBansTheTokenThatWouldRepeatATrigram() {
        // prefix 2 5 6 7 5 6: "5 6 7" occurred, the suffix is "5 6", so 7 is banned and nothing else
        int[] prefix = {2, 5, 6, 7, 5, 6, 0, 0};
        float[] scores = new float[VOCAB];
        assertThat(LogitsProcessor.noRepeatNgram(3).process(prefix, 6, scores, 0, VOCAB)).isTrue();
        assertThat(scores[7]).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(countInfinite(scores)).isEqualTo(1);
    }

    @Test
    void noRepeatNgramNeedsAFullNgramOfHistory() {
        float[] scores = new float[VOCAB];
        assertThat(LogitsProcessor.noRepeatNgram(3).process(new int[] {2, 2}, 2, scores, 0, VOCAB)).isFalse();
        // with n = 2 the decoder start counts: "2 2" seen, last token 2, so 2 is banned
        assertThat(LogitsProcessor.noRepeatNgram(2).process(new int[] {2, 2}, 2, scores, 0, VOCAB)).isTrue();
        assertThat(scores[2]).isEqualTo(Float.NEGATIVE_INFINITY);
    }

    @Test
    void minLengthSuppressesEosUntilReached() {
        float[] scores = new float[VOCAB];
        LogitsProcessor p = LogitsProcessor.minLength(3, 2);
        assertThat(p.process(new int[] {2, 4}, 2, scores, 0, VOCAB)).isTrue();
        assertThat(scores[2]).isEqualTo(Float.NEGATIVE_INFINITY);
        float[] later = new float[VOCAB];
        assertThat(p.process(new int[] {2, 4, 5}, 3, later, 0, VOCAB)).isFalse();
        assertThat(countInfinite(later)).isZero();
    }

    @Test
    void forcingLeavesOnlyTheTokenWithScoreZeroInItsRow() {
        float[] scores = new float[2 * VOCAB];
        Arrays.fill(scores, -1.5f);
        assertThat(LogitsProcessor.forceAt(1, 0).process(new int[] {2}, 1, scores, VOCAB, VOCAB)).isTrue();
        assertThat(scores[VOCAB]).isZero();
        assertThat(countInfinite(Arrays.copyOfRange(scores, VOCAB, 2 * VOCAB))).isEqualTo(VOCAB - 1);
        assertThat(Arrays.copyOfRange(scores, 0, VOCAB)).containsOnly(-1.5f);
        assertThat(LogitsProcessor.forceAt(1, 0).process(new int[] {2, 0}, 2, scores, 0, VOCAB)).isFalse();
    }

    private static long countInfinite(float[] scores) {
        int n = 0;
        for (float s : scores) {
            n += s == Float.NEGATIVE_INFINITY ? 1 : 0;
        }
        return n;
    }
}
