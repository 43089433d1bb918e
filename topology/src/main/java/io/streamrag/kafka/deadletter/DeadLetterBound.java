package io.streamrag.kafka.deadletter;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.streamrag.contracts.DeadLetter;

/**
 * Keeps a dead letter small enough to be written. A dead letter carries the failed record's original bytes so it can
 * be replayed, but a record rejected for its size (a 2 MB document body) would make a dead letter over the producer's
 * {@code max.request.size}, and a dead letter that cannot be written used to stop the role. Beyond the limit the dead
 * letter keeps the head of the key or value, the original size and its SHA-256: enough to find and identify the
 * original record at its topic, partition and offset.
 */
public final class DeadLetterBound {

    /** 256 KiB: a quarter of the producer's default {@code max.request.size}, leaving room for the rest. */
    public static final int DEFAULT_MAX_BYTES = 256 * 1024;

    private final int maxBytes;

    public DeadLetterBound(int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("the dead-letter byte limit must not be negative, was " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public int maxBytes() {
        return maxBytes;
    }

    /** {@code letter} itself when key and value fit, else a copy holding their heads, sizes and hashes. */
    public DeadLetter apply(DeadLetter letter) {
        boolean keyFits = fits(letter.getKey());
        boolean valueFits = fits(letter.getValue());
        if (keyFits && valueFits) {
            return letter;
        }
        DeadLetter.Builder bounded = DeadLetter.newBuilder(letter);
        if (!keyFits) {
            bounded.setKey(head(letter.getKey())).setKeySize((long) letter.getKey().remaining())
                    .setKeySha256(sha256(letter.getKey()));
        }
        if (!valueFits) {
            bounded.setValue(head(letter.getValue())).setValueSize((long) letter.getValue().remaining())
                    .setValueSha256(sha256(letter.getValue()));
        }
        return bounded.build();
    }

    private boolean fits(ByteBuffer bytes) {
        return bytes == null || bytes.remaining() <= maxBytes;
    }

    private ByteBuffer head(ByteBuffer bytes) {
        byte[] head = new byte[maxBytes];
        bytes.duplicate().get(head);
        return ByteBuffer.wrap(head);
    }

    static String sha256(ByteBuffer bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes.duplicate());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
