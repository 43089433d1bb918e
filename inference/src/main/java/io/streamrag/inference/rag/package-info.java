/**
 * All RAG decoding (Lewis et al. 2020; Hugging Face's {@code RagSequenceForGeneration} and
 * {@code RagTokenForGeneration}) on a sequence-to-sequence generator, over {@code generate.LogSpace}'s arithmetic.
 * Every mode takes per question its passages' generator inputs and retrieval scores ({@link
 * io.streamrag.inference.rag.RagQuestion} as text, {@link io.streamrag.inference.rag.RetrievedContext} as ids) and
 * returns per question an n-best list of {@link io.streamrag.inference.rag.RagHypothesis} (ids, text, scores,
 * per-document likelihoods and the posterior {@code p(d | x, y)}):
 *
 * <ul>
 *   <li>{@link io.streamrag.inference.rag.RagSequenceGenerator}: RAG-Sequence, thorough or fast, with or without
 *       de-duplication of the pooled candidates ({@code CandidatePool});</li>
 *   <li>{@link io.streamrag.inference.rag.RagTokenGenerator}: RAG-Token, whose {@link
 *       io.streamrag.inference.rag.RagTokenDecodingSession} gives the ordinary greedy and beam searches the
 *       per-token document mixture ({@link io.streamrag.inference.rag.DocumentMixture}), and whose
 *       {@code DocumentTrace} keeps the per-document likelihoods for the posterior without another forward pass;</li>
 *   <li>{@link io.streamrag.inference.rag.ConcatGenerator}: all passages in one input, the answer scored under each
 *       passage alone for its posterior.</li>
 * </ul>
 *
 * Fixtures: {@code src/test/python/make_rag_token_fixtures.py} (the real Hugging Face implementation) writes
 * {@code src/test/resources/rag/rag_token_goldens.json}.
 */
package io.streamrag.inference.rag;
