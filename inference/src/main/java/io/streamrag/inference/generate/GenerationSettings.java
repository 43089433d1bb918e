package io.streamrag.inference.generate;

/**
 * Hugging Face {@code generate} arguments, with their meanings there. Null means "not set" where HF allows it.
 *
 * @param numBeams 1 = greedy search
 * @param numReturnSequences hypotheses returned per input, at most numBeams
 * @param maxLength maximum decoder length, decoder start token included (HF {@code max_length})
 * @param maxNewTokens when set, overrides maxLength as (1 + maxNewTokens) for encoder-decoder models
 * @param minLength EOS is suppressed while the decoder sequence is shorter than this (start token included)
 * @param lengthPenalty exponent applied to the generated length when ranking finished beams
 * @param earlyStopping beam search stopping rule: TRUE, FALSE (heuristic) or NEVER
 * @param noRepeatNgramSize 0 disables; otherwise no n-gram of this size repeats in a hypothesis
 * @param forcedBosTokenId token forced at the first generated position, or null
 * @param forcedEosTokenId token forced when max length is reached, or null
 * @param decoderStartTokenId first decoder input token
 * @param eosTokenId end of sequence
 * @param padTokenId padding
 */
public record GenerationSettings(
        int numBeams,
        int numReturnSequences,
        int maxLength,
        Integer maxNewTokens,
        int minLength,
        double lengthPenalty,
        EarlyStopping earlyStopping,
        int noRepeatNgramSize,
        Integer forcedBosTokenId,
        Integer forcedEosTokenId,
        int decoderStartTokenId,
        int eosTokenId,
        int padTokenId) {

    /** HF's three beam-search stopping rules. */
    public enum EarlyStopping { TRUE, FALSE, NEVER }

    public GenerationSettings {
        if (numBeams < 1) {
            throw new IllegalArgumentException("numBeams must be >= 1, was " + numBeams);
        }
        if (numReturnSequences < 1 || numReturnSequences > numBeams) {
            throw new IllegalArgumentException("numReturnSequences must be in [1, numBeams], was " + numReturnSequences);
        }
    }

    /** The effective max decoder length (start token included). */
    public int effectiveMaxLength() {
        return maxNewTokens != null ? 1 + maxNewTokens : maxLength;
    }

    public GenerationSettings withBeams(int beams, int returnSequences) {
        return new GenerationSettings(beams, returnSequences, maxLength, maxNewTokens, minLength, lengthPenalty,
                earlyStopping, noRepeatNgramSize, forcedBosTokenId, forcedEosTokenId, decoderStartTokenId,
                eosTokenId, padTokenId);
    }
}
