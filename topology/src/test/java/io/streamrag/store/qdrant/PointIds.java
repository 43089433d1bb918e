package io.streamrag.store.qdrant;

import io.grpc.Status;
import io.qdrant.client.grpc.Common.PointId;
import java.util.Comparator;
import java.util.UUID;

/**
 * Qdrant's point id rules for the double: an id is an unsigned 64-bit integer or a UUID (given hyphenated or as 32
 * hex digits, always answered hyphenated and lower-case); integers sort before UUIDs, UUIDs as unsigned 128-bit
 * numbers. Scroll pages follow this order.
 */
final class PointIds {

    static final Comparator<PointId> ORDER = (a, b) -> {
        if (a.hasNum() && b.hasNum()) {
            return Long.compareUnsigned(a.getNum(), b.getNum());
        }
        if (a.hasNum() != b.hasNum()) {
            return a.hasNum() ? -1 : 1;
        }
        UUID x = UUID.fromString(a.getUuid());
        UUID y = UUID.fromString(b.getUuid());
        int high = Long.compareUnsigned(x.getMostSignificantBits(), y.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(x.getLeastSignificantBits(), y.getLeastSignificantBits());
    };

    private PointIds() {
    }

    /** The id in canonical form; INVALID_ARGUMENT for a missing id or a malformed UUID. */
    static PointId canonical(PointId id) {
        switch (id.getPointIdOptionsCase()) {
            case NUM:
                return id;
            case UUID:
                return PointId.newBuilder().setUuid(parseUuid(id.getUuid()).toString()).build();
            default:
                throw Status.INVALID_ARGUMENT.withDescription("Wrong input: point id is missing").asRuntimeException();
        }
    }

    static String text(PointId id) {
        return id.hasUuid() ? id.getUuid() : Long.toUnsignedString(id.getNum());
    }

    private static UUID parseUuid(String text) {
        String hyphenated = text;
        if (text.length() == 32 && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            hyphenated = text.substring(0, 8) + "-" + text.substring(8, 12) + "-" + text.substring(12, 16) + "-"
                    + text.substring(16, 20) + "-" + text.substring(20);
        }
        try {
            if (hyphenated.length() != 36) {
                throw new IllegalArgumentException("length " + hyphenated.length());
            }
            return UUID.fromString(hyphenated);
        } catch (IllegalArgumentException e) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("Unable to parse UUID: " + text)
                    .asRuntimeException();
        }
    }
}
