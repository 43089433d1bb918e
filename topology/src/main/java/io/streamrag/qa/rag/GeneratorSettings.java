package io.streamrag.qa.rag;

import io.streamrag.inference.generate.GenerationSettings;

/** The generator's own defaults with the QA configuration's beam count and length applied. */
public final class GeneratorSettings {

    private GeneratorSettings() {
    }

    /**
     * @param numBeams beams, or null for the generator's default
     * @param maxNewTokens generated tokens at most, or null for the generator's default max length
     * @param returnAllBeams true for RAG-sequence, which keeps every beam as a candidate (HF sets
     *     {@code num_return_sequences = num_beams}); false keeps only the best hypothesis
     */
    public static GenerationSettings derive(GenerationSettings defaults, Integer numBeams, Integer maxNewTokens,
                                            boolean returnAllBeams) {
        int beams = numBeams != null ? numBeams : defaults.numBeams();
        Integer newTokens = maxNewTokens != null ? maxNewTokens : defaults.maxNewTokens();
        GenerationSettings withLength = new GenerationSettings(defaults.numBeams(), defaults.numReturnSequences(),
                defaults.maxLength(), newTokens, defaults.minLength(), defaults.lengthPenalty(),
                defaults.earlyStopping(), defaults.noRepeatNgramSize(), defaults.forcedBosTokenId(),
                defaults.forcedEosTokenId(), defaults.decoderStartTokenId(), defaults.eosTokenId(),
                defaults.padTokenId());
        return withLength.withBeams(beams, returnAllBeams ? beams : 1);
    }
}
