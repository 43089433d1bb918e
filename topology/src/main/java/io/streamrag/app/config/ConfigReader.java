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
import java.util.Optional;
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

    /** The value, checked against the values its declaration accepts; a problem is recorded when it is not. */
    private String checked(String key) {
        String value = string(key);
        declaration(key).valid().problem(value).ifPresent(reason -> problem(key, reason));
        return value;
    }

    /** A key declared {@code nonBlank()} or {@code text()}. */
    String text(String key) {
        return checked(key);
    }

    int integer(String key) {
        return (int) longValue(key);
    }

    long longValue(String key) {
        String value = checked(key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return range(key).min();
        }
    }

    Duration millis(String key) {
        return Duration.ofMillis(longValue(key));
    }

    double decimal(String key) {
        String value = checked(key);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return ((ValidValues.Decimal) declaration(key).valid()).min();
        }
    }

    boolean bool(String key) {
        return Boolean.parseBoolean(checked(key).toLowerCase(Locale.ROOT));
    }

    Path path(String key) {
        return path(key, checked(key));
    }

    /** A path where {@code ~} is the user's home, as huggingface_hub reads its cache variables. */
    Path pathBelowHome(String key) {
        return path(key, expandHome(checked(key)));
    }

    private Path path(String key, String value) {
        try {
            // "./data" and "data" are the same place; logs and lock files should say so
            return Path.of(value).normalize();
        } catch (InvalidPathException e) {
            problem(key, "is not a valid path: " + e.getReason());
            return Path.of(".");
        }
    }

    List<String> list(String key) {
        String value = checked(key);
        if (value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
    }

    /** One of the spellings its declaration lists, e.g. {@code rag-sequence}, mapped by {@code parse}. */
    <T> T choice(String key, Function<String, T> parse, T fallback) {
        String value = string(key);
        Optional<String> reason = declaration(key).valid().problem(value);
        if (reason.isPresent()) {
            problem(key, reason.get());
            return fallback;
        }
        return parse.apply(value.toLowerCase(Locale.ROOT));
    }

    private ValidValues.WholeNumber range(String key) {
        return (ValidValues.WholeNumber) declaration(key).valid();
    }

    private static ConfigKey declaration(String key) {
        return ConfigCatalog.find(key).orElseThrow(() -> new IllegalStateException(key + " is not in ConfigCatalog"));
    }

    /** {@code ~} and {@code ~/...} as the shell (and huggingface_hub) read them. */
    private static String expandHome(String value) {
        String home = System.getProperty("user.home");
        if (value.equals("~")) {
            return home;
        }
        return value.startsWith("~/") ? home + value.substring(1) : value;
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
