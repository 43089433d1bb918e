package io.streamrag.store;

/**
 * A stored chunk's vector and the fingerprint of what it was computed from: all an update needs to reuse the vector
 * of a chunk whose embedding text did not change.
 */
public record StoredEmbedding(String documentId, String fingerprint, float[] vector) {
}
