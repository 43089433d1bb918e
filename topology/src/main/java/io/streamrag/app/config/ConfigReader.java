package io.streamrag.app.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Typed reads of {@link RawConfig} that collect problems instead of stopping at the first one, so a user fixes a
 * bad file in one round. A failed read returns a harmless placeholder; {@link #finish()} then throws.
 */
final class ConfigReader {

    private final RawConfig raw;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> read = new HashSet<>();

    ConfigReader(RawConfig raw) {
        this.raw = raw;
    }

    String string(String key) {
        return entry(key).value();
    }

    String nonBlank(String key) {
        String value = string(key);
        if (value.isBlank()) {
            problem(key, "must not be empty");
        }
        return value;
    }

    int integer(String key, int min, int max) {
        return (int) longValue(key, min, max);
    }

    long longValue(String key, long min, long max) {
        String value = string(key);
        try {
            long parsed = Long.parseLong(value);
            if (parsed < min || parsed > max) {
                problem(key, "must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            problem(key, "must be a whole number");
            return min;
        }
    }

    Duration millis(String key, long min) {
        return Duration.ofMillis(longValue(key, min, Long.MAX_VALUE));
    }

    double decimal(String key, double min, double max) {
        String value = string(key);
        try {
            double parsed = Double.parseDouble(value);
            if (!(parsed >= min && parsed <= max)) {
                problem(key, "must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            problem(key, "must be a number");
            return min;
        }
    }

    boolean bool(String key) {
        String value = string(key).toLowerCase(Locale.ROOT);
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        problem(key, "must be true or false");
        return false;
    }

    Path path(String key) {
        String value = nonBlank(key);
        try {
            // "./data" and "data" are the same place; logs and lock files should say so
            return Path.of(value).normalize();
        } catch (InvalidPathException e) {
            problem(key, "is not a valid path: " + e.getReason());
            return Path.of(".");
        }
    }

    List<String> list(String key) {
        String value = string(key);
        if (value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
    }

    /** One of a fixed set of spellings, e.g. {@code rag-sequence}; {@code parse} returns null for no match. */
    <T> T choice(String key, Function<String, T> parse, String allowed, T fallback) {
        String value = string(key);
        T parsed = parse.apply(value.toLowerCase(Locale.ROOT));
        if (parsed == null) {
            problem(key, "must be one of " + allowed);
            return fallback;
        }
        return parsed;
    }

    /**
     * The item names that have at least one setting under {@code listPrefix} (e.g. {@code cdc.sources.}), in name
     * order.
     */
    java.util.SortedSet<String> namedItems(String listPrefix) {
        java.util.SortedSet<String> items = new java.util.TreeSet<>();
        raw.entries().keySet().forEach(key -> {
            if (key.startsWith(listPrefix) && ConfigCatalog.find(key).filter(ConfigKey::isNamed).isPresent()) {
                String rest = key.substring(listPrefix.length());
                items.add(rest.substring(0, rest.indexOf('.')));
            }
        });
        return items;
    }

    /** An item's setting of a named key ({@code cdc.sources.<name>.topics} for {@code articles}), or its default. */
    String named(String namedKey, String item) {
        ConfigKey key = ConfigCatalog.find(namedKey).filter(ConfigKey::isNamed)
                .orElseThrow(() -> new IllegalStateException(namedKey + " is not a named key of the catalogue"));
        read.add(key.name());
        return raw.get(key.forItem(item)).map(RawConfig.Entry::value).orElse(key.defaultValue());
    }

    /** As {@link #named}, split at commas, blanks dropped. */
    List<String> namedList(String namedKey, String item) {
        String value = named(namedKey, item);
        if (value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(part -> !part.isEmpty()).toList();
    }

    /** Marks the named keys read; they have no value while no item is configured. */
    void touchNamed() {
        ConfigCatalog.keys().stream().filter(ConfigKey::isNamed).forEach(key -> read.add(key.name()));
    }

    /** Everything set under a pass-through prefix key such as {@code kafka.client.*}. */
    Map<String, String> passThrough(String prefixKey) {
        ConfigKey key = ConfigCatalog.find(prefixKey).filter(ConfigKey::isPrefix)
                .orElseThrow(() -> new IllegalStateException(prefixKey + " is not a prefix key of the catalogue"));
        read.add(key.name());
        return raw.withPrefix(key.prefix());
    }

    /** Records a problem with a key's value; the message shows the value and where it was set. */
    void problem(String key, String reason) {
        RawConfig.Entry entry = raw.get(key).orElse(new RawConfig.Entry("", "default"));
        problems.add(key + "=" + quote(RawConfig.Secrets.mask(key, entry.value())) + " " + reason
                + " (" + entry.origin() + ")");
    }

    /** How many problems were recorded so far. */
    int problemCount() {
        return problems.size();
    }

    /** Records a problem found before typing, e.g. an unknown key. */
    void report(String problem) {
        problems.add(problem);
    }

    /** Keys of the catalogue that no read touched: a programming error caught by a unit test. */
    Set<String> unreadKeys() {
        Set<String> unread = new HashSet<>();
        ConfigCatalog.keys().forEach(key -> {
            if (!read.contains(key.name())) {
                unread.add(key.name());
            }
        });
        return unread;
    }

    void finish() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    private RawConfig.Entry entry(String key) {
        if (ConfigCatalog.find(key).filter(known -> !known.isPrefix()).isEmpty()) {
            throw new IllegalStateException("Reading " + key + ", which is not in ConfigCatalog");
        }
        read.add(key);
        return raw.get(key).orElseThrow(() -> new IllegalStateException("No value, not even a default, for " + key));
    }

    private static String quote(String value) {
        return value.isEmpty() ? "''" : value;
    }
}
