package io.streamrag.inference.embed;

/** Token ids of a batch of texts, padded to the longest one; the attention mask marks real tokens with 1. */
record TokenBatch(long[][] ids, long[][] typeIds, long[][] attentionMask) {

    int size() {
        return ids.length;
    }
}
