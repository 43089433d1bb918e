package io.streamrag.app.config;

import java.util.Objects;

/**
 * One setting the application knows: its dotted name, its default as written in a config file, and what it means.
 * A key whose name ends in {@code .*} is a prefix: every key below it is passed through verbatim.
 */
public record ConfigKey(String name, String defaultValue, String meaning) {

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(meaning, "meaning");
        if (!name.matches("[a-z0-9]+(\\.[a-z0-9]+)*(\\.\\*)?")) {
            // lower-case dotted names map one-to-one onto STREAMRAG_SECTION_KEY environment variables
            throw new IllegalArgumentException("Config key must be lower-case and dotted: " + name);
        }
    }

    public boolean isPrefix() {
        return name.endsWith(".*");
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
