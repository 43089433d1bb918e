package io.streamrag.store.qdrant;

/** Cosine similarity of two vectors, in double precision; 0 when either is all zeros. */
final class Cosine {

    private Cosine() {
    }

    static double of(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of dimension " + a.length + " and " + b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
