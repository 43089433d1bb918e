/**
 * The transformer building blocks BERT and BART share, on DJL NDArrays (PyTorch engine): {@link
 * io.streamrag.inference.nn.Linear}, {@link io.streamrag.inference.nn.LayerNorm}, {@link
 * io.streamrag.inference.nn.Activation}, {@link io.streamrag.inference.nn.FeedForward}, {@link
 * io.streamrag.inference.nn.MultiHeadAttention} (self and cross) with its per-request {@link
 * io.streamrag.inference.nn.KeyValueCache}, {@link io.streamrag.inference.nn.Embeddings}, the post-LN {@link
 * io.streamrag.inference.nn.EncoderLayer} and {@link io.streamrag.inference.nn.AttentionMasks}. The blocks hold
 * tensors and compute; which checkpoint name fills which tensor is the model loaders' business
 * ({@code BertLoader}, {@code BartCheckpointLoader}).
 *
 * <p>Every op's result belongs to its first operand's manager, so callers pass activations first and keep weights
 * (owned by the model's manager) out of per-call scopes.
 */
package io.streamrag.inference.nn;
