package io.streamrag.qa.freshness;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * "My writes": the lowest version of each named document that must be searchable, written
 * {@code documentId@version,documentId@version,...} with ids percent-encoded (so ids holding {@code ,} or {@code @}
 * survive). Per-document versions rather than a position per partition because every writer already has them (a
 * {@code DocumentChange} producer sets the version, a CDC user has the row's id and the LSN/commit time the
 * connector maps to the version) and because they hold across partitions, topic re-partitioning and re-indexing.
 * A later version of a document satisfies an earlier one (the ingest ignores versions older than the applied one).
 */
public final class ConsistencyToken {

    private static final ConsistencyToken EMPTY = new ConsistencyToken(Map.of());

    private final Map<String, Long> versions;

    private ConsistencyToken(Map<String, Long> versions) {
        this.versions = Collections.unmodifiableMap(new TreeMap<>(versions));
    }

    public static ConsistencyToken empty() {
        return EMPTY;
    }

    public static ConsistencyToken of(String documentId, long version) {
        return empty().with(documentId, version);
    }

    /** @throws IllegalArgumentException naming the malformed entry */
    public static ConsistencyToken parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("consistency token is empty");
        }
        Map<String, Long> versions = new TreeMap<>();
        for (String entry : text.trim().split(",")) {
            int at = entry.lastIndexOf('@');
            if (at <= 0 || at == entry.length() - 1) {
                throw new IllegalArgumentException("consistency token entry '" + entry
                        + "' is not documentId@version");
            }
            String documentId = URLDecoder.decode(entry.substring(0, at).trim(), StandardCharsets.UTF_8);
            long version;
            try {
                version = Long.parseLong(entry.substring(at + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("consistency token entry '" + entry + "' has no numeric version");
            }
            versions.merge(documentId, version, Math::max);
        }
        return new ConsistencyToken(versions);
    }

    /** This token and {@code documentId} at {@code version} or later. */
    public ConsistencyToken with(String documentId, long version) {
        Map<String, Long> more = new TreeMap<>(versions);
        more.merge(documentId, version, Math::max);
        return new ConsistencyToken(more);
    }

    public ConsistencyToken merge(ConsistencyToken other) {
        Map<String, Long> more = new TreeMap<>(versions);
        other.versions.forEach((id, version) -> more.merge(id, version, Math::max));
        return new ConsistencyToken(more);
    }

    public Map<String, Long> versions() {
        return versions;
    }

    public boolean isEmpty() {
        return versions.isEmpty();
    }

    /**
     * The entries not yet applied, given the applied version of a document (null when none is), as
     * {@code documentId@wanted (applied: n|none)}; empty when the token is satisfied.
     */
    public List<String> missing(Function<String, Long> appliedVersion) {
        List<String> missing = new ArrayList<>();
        versions.forEach((id, wanted) -> {
            Long applied = appliedVersion.apply(id);
            if (applied == null || applied < wanted) {
                missing.add(encode(id) + "@" + wanted + " (applied: " + (applied == null ? "none" : applied) + ")");
            }
        });
        return missing;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        versions.forEach((id, version) -> {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(encode(id)).append('@').append(version);
        });
        return text.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConsistencyToken token && token.versions.equals(versions);
    }

    @Override
    public int hashCode() {
        return versions.hashCode();
    }

    private static String encode(String documentId) {
        return URLEncoder.encode(documentId, StandardCharsets.UTF_8);
    }
}
