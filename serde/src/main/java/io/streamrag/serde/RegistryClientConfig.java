package io.streamrag.serde;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Where the Schema Registry is and how to authenticate to it, read from the same keys Confluent's clients use.
 * Parsed with Kafka's {@link ConfigDef} so secrets are {@link Password}s and never printed.
 */
public record RegistryClientConfig(
        List<URI> urls,
        RegistryCredentials credentials,
        Optional<RegistryTls> tls,
        Duration connectTimeout,
        Duration requestTimeout) {

    public static final String URL = "schema.registry.url";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    /** Older spelling of {@link #BASIC_AUTH_USER_INFO} that Confluent's serdes still accept. */
    public static final String LEGACY_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
    public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
    public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    public static final String KEY_PASSWORD = "schema.registry.ssl.key.password";
    public static final String CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String READ_TIMEOUT_MS = "http.read.timeout.ms";

    /** The keys this client reads; the serde config adds its own on top. */
    public static final ConfigDef DEFINITION = define(new ConfigDef());

    public RegistryClientConfig {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new ConfigException(URL, "", "at least one Schema Registry URL is required");
        }
    }

    static ConfigDef define(ConfigDef def) {
        return def
                .define(URL, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                        "Comma-separated registry base URLs, tried in order on connection failure; mock://scope for an in-process registry.")
                .define(BASIC_AUTH_CREDENTIALS_SOURCE, Type.STRING, "URL", Importance.MEDIUM,
                        "USER_INFO (basic.auth.user.info) or URL (user:password@ in the URL).")
                .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.MEDIUM, "user:password for USER_INFO.")
                .define(LEGACY_BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.LOW, "Alias of basic.auth.user.info.")
                .define(BEARER_AUTH_CREDENTIALS_SOURCE, Type.STRING, null, Importance.MEDIUM, "STATIC_TOKEN.")
                .define(BEARER_AUTH_TOKEN, Type.PASSWORD, null, Importance.MEDIUM, "The bearer token for STATIC_TOKEN.")
                .define(TRUSTSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM, "Trust store file.")
                .define(TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Trust store password.")
                .define(TRUSTSTORE_TYPE, Type.STRING, "JKS", Importance.LOW, "JKS or PKCS12.")
                .define(KEYSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM, "Key store file (client certificate).")
                .define(KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Key store password.")
                .define(KEYSTORE_TYPE, Type.STRING, "JKS", Importance.LOW, "JKS or PKCS12.")
                .define(KEY_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Private key password (default: the key store's).")
                .define(CONNECT_TIMEOUT_MS, Type.INT, 10_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                        "Connection timeout per registry URL.")
                .define(READ_TIMEOUT_MS, Type.INT, 30_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                        "Response timeout per request.");
    }

    /** Reads and validates the registry keys from a Kafka-style config map; other keys are ignored. */
    public static RegistryClientConfig from(Map<String, ?> configs) {
        return from(new AbstractConfig(DEFINITION, configs, false));
    }

    static RegistryClientConfig from(AbstractConfig config) {
        List<URI> urls = parseUrls(config.getList(URL));
        return new RegistryClientConfig(
                urls,
                RegistryCredentials.from(config, urls),
                RegistryTls.from(config),
                Duration.ofMillis(config.getInt(CONNECT_TIMEOUT_MS)),
                Duration.ofMillis(config.getInt(READ_TIMEOUT_MS)));
    }

    /** True when the URL names an in-process registry ({@code mock://scope}). */
    public boolean isMock() {
        return urls.get(0).getScheme().equals("mock");
    }

    /** Without secrets: user-info in a URL is shown as {@code ***}. */
    @Override
    public String toString() {
        List<String> shown = urls.stream()
                .map(u -> u.getRawUserInfo() == null ? u.toString() : u.toString().replace(u.getRawUserInfo() + "@", "***@"))
                .toList();
        return "RegistryClientConfig[urls=" + shown + ", credentials=" + credentials + ", tls=" + tls
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + "]";
    }

    private static List<URI> parseUrls(List<String> raw) {
        List<URI> urls = new ArrayList<>();
        for (String value : raw) {
            String trimmed = value.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            URI uri;
            try {
                uri = new URI(trimmed);
            } catch (URISyntaxException e) {
                throw new ConfigException(URL, trimmed, "not a URL: " + e.getMessage());
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("mock")) {
                throw new ConfigException(URL, trimmed, "expected http://, https:// or mock://");
            }
            urls.add(uri);
        }
        if (urls.isEmpty()) {
            throw new ConfigException(URL, raw, "at least one Schema Registry URL is required");
        }
        boolean anyMock = urls.stream().anyMatch(u -> "mock".equalsIgnoreCase(u.getScheme()));
        if (anyMock && urls.size() > 1) {
            throw new ConfigException(URL, raw, "a mock:// URL cannot be combined with other URLs");
        }
        return urls;
    }
}
