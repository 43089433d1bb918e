package io.streamrag.inference.generate;

/**
 * Changes one row's next-token scores in place given the hypothesis so far, as Hugging Face's logits processors do
 * (only by setting entries, never by renormalising).
 */
interface LogitsProcessor {

    /**
     * @param prefix the decoder tokens so far; only {@code prefix[0..length)} is valid (decoder start included)
     * @param scores row-major scores; this row is {@code scores[offset .. offset + vocab)}
     * @return whether any score changed
     */
    boolean process(int[] prefix, int length, float[] scores, int offset, int vocab);

    /** Hugging Face's EOS suppression below {@code min_length} (counted with the decoder start token). */
    static LogitsProcessor minLength(int minLength, int eos) {
        return (prefix, length, scores, offset, vocab) -> {
            if (length < minLength) {
                scores[offset + eos] = Float.NEGATIVE_INFINITY;
                return true;
            }
            return false;
        };
    }

    /** Bans every token that would complete an n-gram already present in the hypothesis (decoder start included). */
    static LogitsProcessor noRepeatNgram(int n) {
        return (prefix, length, scores, offset, vocab) -> {
            if (length < n) {
                return false;
            }
            boolean changed = false;
            int suffixStart = length - (n - 1);
            for (int start = 0; start + n <= length; start++) {
                boolean same = true;
                for (int k = 0; k < n - 1 && same; k++) {
                    same = prefix[start + k] == prefix[suffixStart + k];
                }
                if (same) {
                    int banned = prefix[start + n - 1];
                    if (banned < vocab) {
                        scores[offset + banned] = Float.NEGATIVE_INFINITY;
                        changed = true;
                    }
                }
            }
            return changed;
        };
    }

    /** Forces {@code token} at decoder length {@code atLength}: every other score becomes -inf, the token's 0. */
    static LogitsProcessor forceAt(int atLength, int token) {
        return (prefix, length, scores, offset, vocab) -> {
            if (length != atLength) {
                return false;
            }
            java.util.Arrays.fill(scores, offset, offset + vocab, Float.NEGATIVE_INFINITY);
            scores[offset + token] = 0f;
            return true;
        };
    }
}
