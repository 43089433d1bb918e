package io.streamrag.app.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the configuration from its sources, later ones winning:
 * <ol>
 *   <li>the defaults in {@link ConfigCatalog}, or for a key that names them, the environment variables of other
 *   tools ({@code HF_TOKEN} for {@code models.hub.token});</li>
 *   <li>a YAML ({@code .yaml}/{@code .yml}, nested or dotted keys) or {@code .properties} file;</li>
 *   <li>environment variables {@code STREAMRAG_<SECTION>_<KEY>} ({@code STREAMRAG_KAFKA_BOOTSTRAP_SERVERS});</li>
 *   <li>JVM system properties {@code -Dstreamrag.<key>=value};</li>
 *   <li>command-line {@code --set key=value}.</li>
 * </ol>
 * This is the one place that reads the process environment. Keys that are neither in the catalogue nor under one
 * of its pass-through prefixes are rejected with the closest known key; unknown {@code STREAMRAG_*} environment
 * variables only produce a warning, since the environment also carries variables meant for others.
 */
public final class ConfigLoader {

    private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);

    static final String SYSTEM_PROPERTY_PREFIX = "streamrag.";

    private final Map<String, String> environment;
    private final Properties systemProperties;

    public ConfigLoader(Map<String, String> environment, Properties systemProperties) {
        this.environment = Map.copyOf(environment);
        this.systemProperties = (Properties) systemProperties.clone();
    }

    /** A loader reading this process's environment and system properties. */
    public static ConfigLoader fromProcess() {
        return new ConfigLoader(System.getenv(), System.getProperties());
    }

    /** The environment variable naming the config file when {@code --config} is not given. */
    public Optional<Path> configFileFromEnvironment() {
        return Optional.ofNullable(environment.get("STREAMRAG_CONFIG")).filter(s -> !s.isBlank()).map(Path::of);
    }

    /**
     * Loads and validates.
     *
     * @throws ConfigException listing every unknown key and bad value, each with its origin
     */
    public AppConfig load(Optional<Path> file, Map<String, String> overrides) {
        List<String> unknownKeys = new ArrayList<>();
        RawConfig raw = layer(file, overrides, unknownKeys);
        // unknown keys and bad values are reported together, so one round of fixes is enough
        return AppConfig.from(raw, unknownKeys);
    }

    /**
     * The layered settings before typing.
     *
     * @throws ConfigException when a key is unknown
     */
    public RawConfig raw(Optional<Path> file, Map<String, String> overrides) {
        List<String> unknownKeys = new ArrayList<>();
        RawConfig raw = layer(file, overrides, unknownKeys);
        if (!unknownKeys.isEmpty()) {
            throw new ConfigException(unknownKeys);
        }
        return raw;
    }

    private RawConfig layer(Optional<Path> file, Map<String, String> overrides, List<String> problems) {
        Map<String, RawConfig.Entry> merged = new LinkedHashMap<>();
        ConfigCatalog.defaults().forEach((key, value) -> merged.put(key, new RawConfig.Entry(value, "default")));
        for (ConfigKey key : ConfigCatalog.keys()) {
            key.environmentDefault(environment).ifPresent(found -> merged.put(key.name(), new RawConfig.Entry(
                    asDeclared(key, found.getKey()), "environment " + found.getValue())));
        }
        if (file.isPresent()) {
            Path path = file.get();
            readFile(path).forEach((key, value) -> put(merged, problems, key, value, "file " + path));
        }
        environment.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(variable -> EnvironmentNames.keyOf(variable.getKey()).ifPresent(key -> {
                    String origin = "environment " + variable.getKey();
                    if (ConfigCatalog.find(key).isPresent()) {
                        put(merged, problems, key, variable.getValue(), origin);
                    } else {
                        // the environment is shared with images and scripts (e.g. a build variant marker), so an
                        // unknown variable is reported but does not stop the application
                        log.warn("Ignoring {}: '{}' is not a config key{}", variable.getKey(), key, suggestion(key));
                    }
                }));
        systemProperties.stringPropertyNames().stream().sorted()
                .filter(name -> name.startsWith(SYSTEM_PROPERTY_PREFIX))
                .forEach(name -> put(merged, problems, name.substring(SYSTEM_PROPERTY_PREFIX.length()),
                        systemProperties.getProperty(name), "system property -D" + name));
        overrides.forEach((key, value) -> put(merged, problems, key, value, "--set " + key));
        return new RawConfig(merged);
    }

    /** Other tools spell booleans their own way: huggingface_hub reads {@code 1}, {@code yes}, {@code on} as true. */
    private static String asDeclared(ConfigKey key, String value) {
        if (key.valid() instanceof ValidValues.Bool) {
            String lower = value.toLowerCase(java.util.Locale.ROOT);
            return String.valueOf(lower.equals("1") || lower.equals("true") || lower.equals("yes")
                    || lower.equals("on"));
        }
        return value;
    }

    private static void put(Map<String, RawConfig.Entry> merged, List<String> problems,
                            String key, String value, String origin) {
        if (ConfigCatalog.find(key).isEmpty()) {
            problems.add("unknown key '" + key + "' (" + origin + ")" + suggestion(key));
            return;
        }
        merged.put(key, new RawConfig.Entry(value == null ? "" : value.trim(), origin));
    }

    private static String suggestion(String unknown) {
        if (unknown.startsWith(ConfigCatalog.CDC_SOURCES_PREFIX)) {
            return "; a CDC source's settings are " + ConfigCatalog.CDC_SOURCES_PREFIX + "<name>.<setting>, <name> "
                    + "lower-case letters and digits, <setting> one of those listed in CONFIG.md";
        }
        Optional<String> parent = ConfigCatalog.keys().stream().map(ConfigKey::name)
                .filter(known -> unknown.startsWith(known + "."))
                .findFirst();
        if (parent.isPresent()) {
            return "; did you mean '" + parent.get() + "'?";
        }
        return ConfigCatalog.keys().stream()
                .map(ConfigKey::name)
                .min(Comparator.comparingInt(known -> EditDistance.between(unknown, known)))
                .filter(best -> EditDistance.between(unknown, best) <= Math.max(3, unknown.length() / 4))
                .map(best -> "; did you mean '" + best + "'?")
                .orElse("; known keys are listed in CONFIG.md");
    }

    private static Map<String, String> readFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(List.of("config file " + path + " does not exist or is not a file"));
        }
        String name = path.getFileName().toString();
        try (InputStream in = Files.newInputStream(path)) {
            if (name.endsWith(".properties")) {
                Properties properties = new Properties();
                properties.load(in);
                return properties.stringPropertyNames().stream().sorted()
                        .collect(Collectors.toMap(k -> k, properties::getProperty, (a, b) -> b, LinkedHashMap::new));
            }
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
                Map<String, String> flat = new LinkedHashMap<>();
                if (root != null && !root.isMissingNode() && !root.isNull()) {
                    if (!root.isObject()) {
                        throw new ConfigException(List.of("config file " + path + " must hold a mapping of keys"));
                    }
                    flatten("", root, flat, path);
                }
                return flat;
            }
        } catch (IOException e) {
            throw new ConfigException("config file " + path + " cannot be read: " + e.getMessage(), e);
        }
        throw new ConfigException(List.of("config file " + path + " must end in .yaml, .yml or .properties"));
    }

    /**
     * Nested YAML maps become dotted keys; lists of scalars become comma-separated values; a list of maps under a
     * named list ({@code cdc.sources}) becomes one group of keys per item, named by the item's {@code name}:
     * {@code - name: articles, topics: [a]} is {@code cdc.sources.articles.topics=a}.
     */
    private static void flatten(String prefix, JsonNode node, Map<String, String> flat, Path path) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field ->
                    flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(),
                            flat, path));
        } else if (node.isArray() && isNamedList(prefix)) {
            for (JsonNode item : node) {
                JsonNode name = item.get("name");
                if (!item.isObject() || name == null || !name.isValueNode()
                        || !name.asText().matches(ConfigKey.ITEM_NAME)) {
                    throw new ConfigException(List.of("'" + prefix + "' in " + path + " must be a list of maps, each "
                            + "with a 'name' of lower-case letters and digits (it names the item in keys and "
                            + "environment variables: " + prefix + ".<name>.*), not " + item));
                }
                String itemPrefix = prefix + "." + name.asText();
                if (flat.keySet().stream().anyMatch(key -> key.startsWith(itemPrefix + "."))) {
                    throw new ConfigException(List.of("'" + prefix + "' in " + path + " names '" + name.asText()
                            + "' twice"));
                }
                item.fields().forEachRemaining(field -> {
                    if (!field.getKey().equals("name")) {
                        flatten(itemPrefix + "." + field.getKey(), field.getValue(), flat, path);
                    }
                });
            }
        } else if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> {
                if (item.isContainerNode()) {
                    throw new ConfigException(List.of("'" + prefix + "' in " + path + " must be a list of scalars"));
                }
                items.add(item.asText());
            });
            flat.put(prefix, String.join(",", items));
        } else {
            flat.put(prefix, node.isNull() ? "" : node.asText());
        }
    }

    private static boolean isNamedList(String prefix) {
        String items = prefix + "." + ConfigKey.NAME_SEGMENT + ".";
        return ConfigCatalog.keys().stream().anyMatch(key -> key.isNamed() && key.name().startsWith(items));
    }

    /** Levenshtein distance, for "did you mean" hints on misspelt keys. */
    static final class EditDistance {
        private EditDistance() {
        }

        static int between(String a, String b) {
            int[] previous = new int[b.length() + 1];
            int[] current = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                previous[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                current[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                    current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
                }
                int[] swap = previous;
                previous = current;
                current = swap;
            }
            return previous[b.length()];
        }
    }
}
