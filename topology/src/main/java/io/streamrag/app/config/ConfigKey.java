package io.streamrag.app.config;

import java.util.Objects;

/**
 * One setting the application knows: its dotted name, its default as written in a config file, and what it means.
 * A key whose name ends in {@code .*} is a prefix: every key below it is passed through verbatim. A key with a
 * {@code <name>} segment is one setting of each item of a named list, e.g. {@code cdc.sources.<name>.topics} is
 * {@code cdc.sources.articles.topics} for the source {@code articles}.
 */
public record ConfigKey(String name, String defaultValue, String meaning) {

    /** Item names in a named list: lower-case letters and digits, so they map one-to-one onto environment names. */
    public static final String ITEM_NAME = "[a-z][a-z0-9]*";
    static final String NAME_SEGMENT = "<name>";

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(meaning, "meaning");
        if (!name.matches("[a-z0-9]+(\\.([a-z0-9]+|<name>))*(\\.\\*)?")) {
            // lower-case dotted names map one-to-one onto STREAMRAG_SECTION_KEY environment variables
            throw new IllegalArgumentException("Config key must be lower-case and dotted: " + name);
        }
    }

    public boolean isPrefix() {
        return name.endsWith(".*");
    }

    /** Whether this is a setting of each item of a named list ({@code cdc.sources.<name>.topics}). */
    public boolean isNamed() {
        return name.contains(NAME_SEGMENT);
    }

    /** For a named key, whether {@code actual} is it for some item ({@code cdc.sources.articles.topics}). */
    public boolean matchesNamed(String actual) {
        return isNamed() && actual.matches(namedPattern());
    }

    /** For a named key, the key of item {@code item}. */
    public String forItem(String item) {
        if (!isNamed()) {
            throw new IllegalStateException(name + " is not a named key");
        }
        return name.replace(NAME_SEGMENT, item);
    }

    private String namedPattern() {
        int at = name.indexOf(NAME_SEGMENT);
        return java.util.regex.Pattern.quote(name.substring(0, at)) + ITEM_NAME
                + java.util.regex.Pattern.quote(name.substring(at + NAME_SEGMENT.length()));
    }

    /** For a prefix key {@code kafka.client.*}: {@code kafka.client.}. */
    public String prefix() {
        if (!isPrefix()) {
            throw new IllegalStateException(name + " is not a prefix key");
        }
        return name.substring(0, name.length() - 1);
    }

    /** The environment variable that overrides this key, e.g. {@code STREAMRAG_KAFKA_BOOTSTRAP_SERVERS}. */
    public String environmentVariable() {
        String base = isPrefix() ? name.substring(0, name.length() - 2) + "_<KEY>" : name;
        return EnvironmentNames.PREFIX + base.replace('.', '_').toUpperCase(java.util.Locale.ROOT);
    }
}
