package io.streamrag.inference.embed;

/** Token ids of a batch of texts, padded to the longest one; the attention mask marks real tokens with 1. */
public record TokenBatch(long[][] ids, long[][] typeIds, long[][] attentionMask) {

    public int size() {
        return ids.length;
    }

    public int paddedLength() {
        return ids.length == 0 ? 0 : ids[0].length;
    }

    /** Tokens that are not padding. */
    public long realTokens() {
        long n = 0;
        for (long[] row : attentionMask) {
            for (long m : row) {
                n += m;
            }
        }
        return n;
    }
}
