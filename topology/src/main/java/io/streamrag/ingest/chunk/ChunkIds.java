package io.streamrag.ingest.chunk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Deterministic chunk ids: the name-based UUID version 5 (RFC 9562, SHA-1) of {@code "<documentId>/<chunkIndex>"} in
 * the fixed namespace {@link #NAMESPACE}. A replayed document therefore overwrites its own chunks in the vector store
 * instead of adding copies, in any process and after any restart. Written here because the JDK only ships version 3
 * (MD5) name-based UUIDs and no library in the build offers version 5; the algorithm is a dozen lines.
 */
public final class ChunkIds {

    /** Never change it: every stored chunk id is derived from it. */
    public static final UUID NAMESPACE = UUID.fromString("5f1c3a2e-8d4b-5e61-9a7c-2b6f0d9e4c13");

    private ChunkIds() {
    }

    /** The chunk id of chunk {@code chunkIndex} of document {@code documentId}. */
    public static String of(String documentId, int chunkIndex) {
        if (chunkIndex < 0) {
            throw new IllegalArgumentException("chunk index must not be negative: " + chunkIndex);
        }
        return uuidV5(NAMESPACE, documentId + "/" + chunkIndex).toString();
    }

    static UUID uuidV5(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-1", e);
        }
        sha1.update(ByteBuffer.allocate(16)
                .putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits())
                .array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bytes.getLong(), bytes.getLong());
    }
}
