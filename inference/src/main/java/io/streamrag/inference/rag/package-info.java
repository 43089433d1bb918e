/**
 * RAG-Token generation (Lewis et al. 2020; Hugging Face {@code RagTokenForGeneration}) on the BART generator:
 *
 * <ul>
 *   <li>{@link io.streamrag.inference.rag.RetrievedContext}: one question's k generator inputs
 *       ({@code "title / passage // question"}) and retrieval scores;</li>
 *   <li>{@link io.streamrag.inference.rag.DocumentMixture}: the arithmetic, {@code log p(d|x)} and the per-token
 *       {@code logsumexp} over documents, and the posterior {@code p(d | x, y)};</li>
 *   <li>{@link io.streamrag.inference.rag.RagTokenDecodingSession}: a {@code DecodingSession} whose rows carry k
 *       decoder caches each, so the ordinary greedy and beam searches run on the mixture;</li>
 *   <li>{@code DocumentTrace}: the per-document likelihoods along each row, for the posterior without another
 *       forward pass;</li>
 *   <li>{@link io.streamrag.inference.rag.RagTokenGenerator}: the entry point (generate, teacher-forced score).</li>
 * </ul>
 *
 * Fixtures: {@code src/test/python/make_rag_token_fixtures.py} (the real Hugging Face implementation) writes
 * {@code src/test/resources/rag/rag_token_goldens.json}.
 */
package io.streamrag.inference.rag;
