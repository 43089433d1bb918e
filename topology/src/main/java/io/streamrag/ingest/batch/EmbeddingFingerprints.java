package io.streamrag.ingest.batch;

import io.streamrag.inference.embed.TextEmbedder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Fingerprints of exactly what a vector is computed from: the embedding text (title and heading prefix included)
 * and the embedder's identity (model name, vector size, input length). Two chunks with equal fingerprints get equal
 * vectors, whatever their document or position, so a stored vector can stand in for embedding again; a vector of
 * another model, or of the same model truncating elsewhere, never can.
 */
public final class EmbeddingFingerprints {

    /** 128 bits of SHA-256: collisions among a store's chunks are out of reach. */
    private static final int BYTES = 16;

    private final byte[] embedder;

    EmbeddingFingerprints(String embedderIdentity) {
        // the separator cannot occur in the identity's UTF-8, so identity and text never run into each other
        this.embedder = (embedderIdentity + "\u0000").getBytes(StandardCharsets.UTF_8);
    }

    /** Fingerprints for the vectors of {@code embedder}. */
    public static EmbeddingFingerprints of(TextEmbedder embedder) {
        return new EmbeddingFingerprints(identity(embedder));
    }

    /** What makes two embedders' vectors interchangeable, as far as the embedder tells. */
    static String identity(TextEmbedder embedder) {
        return embedder.modelName() + "/dim=" + embedder.dimension() + "/max=" + embedder.maxTokens();
    }

    /** The fingerprint of the vector of {@code embeddingText} (base64url, 22 characters). */
    public String of(String embeddingText) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        sha256.update(embedder);
        byte[] digest = sha256.digest(embeddingText.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, BYTES));
    }
}
