package io.streamrag.inference.generate;

/**
 * A finished hypothesis as a search returns it, before detokenisation.
 *
 * @param tokenIds generated ids without the decoder start token, EOS included when generated
 * @param score Hugging Face's {@code sequences_scores} for beam search; for greedy the sum of
 *     log_softmax(processed logits) at the chosen tokens
 * @param logLikelihood the sum of the model's raw log-probabilities of {@code tokenIds}, before any logits processor
 */
public record ScoredTokens(int[] tokenIds, double score, double logLikelihood) {
}
