package io.streamrag.inference.bart;

import io.streamrag.inference.nn.Embeddings;
import io.streamrag.inference.nn.EncoderLayer;
import io.streamrag.inference.nn.Linear;
import java.util.List;

/**
 * The tensors of a BART model, already grouped into the blocks that use them; all belong to the model's manager.
 * Encoder and decoder embeddings share one token table, and so does the LM head when the checkpoint ties them.
 *
 * @param lmHead the output projection with {@code final_logits_bias} (zeros when the checkpoint has none)
 */
record BartWeights(
        Embeddings encoderEmbeddings,
        List<EncoderLayer> encoderLayers,
        Embeddings decoderEmbeddings,
        List<DecoderLayer> decoderLayers,
        Linear lmHead) {
}
