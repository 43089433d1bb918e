package io.streamrag.inference.generate;

/**
 * One generated hypothesis.
 *
 * @param tokenIds generated ids without the decoder start token, EOS included when generated
 * @param text the decoded text, special tokens skipped
 * @param score the search score Hugging Face reports as {@code sequences_scores}: the sum of processed
 *     log-probabilities divided by (generated length)^length_penalty for beam search; the plain sum for greedy
 * @param logLikelihood the sum of the model's raw log p(token | prefix, input) over {@code tokenIds}
 */
public record GeneratedSequence(int[] tokenIds, String text, double score, double logLikelihood) {
}
