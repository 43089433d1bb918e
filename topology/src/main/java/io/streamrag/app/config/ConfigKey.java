package io.streamrag.app.config;

import java.util.List;
import java.util.Objects;

/**
 * One setting the application knows, declared once: its dotted name, its default as written in a config file, the
 * values it accepts, what it means, and the environment variables of other tools it defaults to when set (e.g.
 * {@code HF_TOKEN} for {@code models.hub.token}; a variable written {@code HF_HOME/hub} stands for that path below
 * the variable's value). The first of those that is set wins over {@code defaultValue}; every explicit source (file,
 * {@code STREAMRAG_*}, {@code -D}, {@code --set}) wins over them.
 * A key whose name ends in {@code .*} is a prefix: every key below it is passed through verbatim. A key with a
 * {@code <name>} segment is one setting of each item of a named list, e.g. {@code cdc.sources.<name>.topics} is
 * {@code cdc.sources.articles.topics} for the source {@code articles}.
 */
public record ConfigKey(String name, String defaultValue, ValidValues valid, String meaning,
                        List<String> defaultFromEnvironment) {

    /** Item names in a named list: lower-case letters and digits, so they map one-to-one onto environment names. */
    public static final String ITEM_NAME = "[a-z][a-z0-9]*";
    static final String NAME_SEGMENT = "<name>";

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(valid, "valid");
        Objects.requireNonNull(meaning, "meaning");
        defaultFromEnvironment = List.copyOf(defaultFromEnvironment);
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

    /**
     * The default this environment gives the key: the first set variable of {@link #defaultFromEnvironment} (with its
     * path suffix), as value and the variable's name; empty when none is set.
     */
    public java.util.Optional<java.util.Map.Entry<String, String>> environmentDefault(
            java.util.Map<String, String> environment) {
        for (String source : defaultFromEnvironment) {
            int slash = source.indexOf('/');
            String variable = slash < 0 ? source : source.substring(0, slash);
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                String suffix = slash < 0 ? "" : source.substring(slash);
                return java.util.Optional.of(java.util.Map.entry(value.trim() + suffix, variable));
            }
        }
        return java.util.Optional.empty();
    }
}
