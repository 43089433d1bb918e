package io.streamrag.app.config;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Flat {@code key -> value} settings after layering all sources, each remembering where it was set, so a bad value
 * can be reported as {@code qa.num.beams=zero (from environment STREAMRAG_QA_NUM_BEAMS)}.
 */
public final class RawConfig {

    /** A value and the source that set it last. */
    public record Entry(String value, String origin) {
    }

    private final Map<String, Entry> entries;

    RawConfig(Map<String, Entry> entries) {
        this.entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    public Optional<Entry> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    /** Values under {@code prefix} (e.g. {@code kafka.client.}), with the prefix removed. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> found = new TreeMap<>();
        entries.forEach((key, entry) -> {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                found.put(key.substring(prefix.length()), entry.value());
            }
        });
        return found;
    }

    /** Every setting as {@code key=value (origin)}, one per line, secrets masked: safe to log at start-up. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        entries.forEach((key, entry) -> text.append(key).append('=').append(Secrets.mask(key, entry.value()))
                .append("  (").append(entry.origin()).append(')').append(System.lineSeparator()));
        return text.toString();
    }

    /** Masks values of keys that usually hold credentials. */
    public static final class Secrets {
        /** Key segments that hold credentials, e.g. {@code ssl.key.password}, {@code bearer.auth.token}. */
        private static final java.util.Set<String> SECRET_SEGMENTS = java.util.Set.of("password", "secret", "token");
        /** Dotted parts that hold credentials, e.g. {@code sasl.jaas.config}, {@code basic.auth.user.info}. */
        private static final String[] SECRET_PARTS = {"jaas.config", "api.key", "user.info"};

        private Secrets() {
        }

        public static boolean isSecret(String key) {
            String lower = key.toLowerCase(Locale.ROOT);
            for (String segment : lower.split("\\.")) {
                if (SECRET_SEGMENTS.contains(segment)) {
                    return true;
                }
            }
            for (String part : SECRET_PARTS) {
                if (lower.equals(part) || lower.endsWith("." + part) || lower.contains("." + part + ".")
                        || lower.startsWith(part + ".")) {
                    return true;
                }
            }
            return false;
        }

        public static String mask(String key, String value) {
            return isSecret(key) && !value.isEmpty() ? "****" : value;
        }

        /** A copy of {@code properties} with secret values masked, for toString and logs. */
        public static Map<String, String> masked(Map<String, String> properties) {
            Map<String, String> masked = new TreeMap<>();
            properties.forEach((key, value) -> masked.put(key, mask(key, value)));
            return masked;
        }
    }
}
