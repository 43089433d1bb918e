package io.streamrag.serde;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The {@code Authorization} header to send to each registry URL: HTTP basic (from {@code basic.auth.user.info} or
 * from the user-info of the URL itself) or a static bearer token. Never printed.
 */
public final class RegistryCredentials {

    private static final RegistryCredentials NONE = new RegistryCredentials(Map.of(), null, "none");

    private final Map<URI, String> headerByUrl;
    private final String headerForAll;
    private final String kind;

    private RegistryCredentials(Map<URI, String> headerByUrl, String headerForAll, String kind) {
        this.headerByUrl = Map.copyOf(headerByUrl);
        this.headerForAll = headerForAll;
        this.kind = kind;
    }

    public static RegistryCredentials none() {
        return NONE;
    }

    /** The header value for a request to this configured URL (the URL as configured, user-info included). */
    public Optional<String> authorization(URI configuredUrl) {
        if (headerForAll != null) {
            return Optional.of(headerForAll);
        }
        return Optional.ofNullable(headerByUrl.get(configuredUrl));
    }

    static RegistryCredentials from(AbstractConfig config, List<URI> urls) {
        String bearerSource = config.getString(RegistryClientConfig.BEARER_AUTH_CREDENTIALS_SOURCE);
        Password bearerToken = config.getPassword(RegistryClientConfig.BEARER_AUTH_TOKEN);
        String basicSource = config.getString(RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE)
                .trim().toUpperCase(Locale.ROOT);
        Password userInfo = config.getPassword(RegistryClientConfig.BASIC_AUTH_USER_INFO);
        if (userInfo == null) {
            userInfo = config.getPassword(RegistryClientConfig.LEGACY_BASIC_AUTH_USER_INFO);
        }
        boolean urlsCarryUserInfo = urls.stream().anyMatch(u -> u.getUserInfo() != null);

        if (bearerSource != null || bearerToken != null) {
            String source = bearerSource == null ? "STATIC_TOKEN" : bearerSource.trim().toUpperCase(Locale.ROOT);
            if (!source.equals("STATIC_TOKEN")) {
                throw new ConfigException(RegistryClientConfig.BEARER_AUTH_CREDENTIALS_SOURCE, bearerSource,
                        "only STATIC_TOKEN is supported");
            }
            if (bearerToken == null || bearerToken.value().isBlank()) {
                throw new ConfigException(RegistryClientConfig.BEARER_AUTH_TOKEN, "[hidden]",
                        "a token is required for bearer.auth.credentials.source=STATIC_TOKEN");
            }
            if ((basicSource.equals("USER_INFO") && userInfo != null) || urlsCarryUserInfo) {
                throw new ConfigException("Both basic and bearer authentication are configured for the Schema Registry; choose one");
            }
            return new RegistryCredentials(Map.of(), "Bearer " + bearerToken.value().trim(), "bearer");
        }
        switch (basicSource) {
            case "USER_INFO":
                if (userInfo == null || userInfo.value().isBlank()) {
                    throw new ConfigException(RegistryClientConfig.BASIC_AUTH_USER_INFO, "[hidden]",
                            "user:password is required for basic.auth.credentials.source=USER_INFO");
                }
                return new RegistryCredentials(Map.of(), basic(userInfo.value()), "basic (USER_INFO)");
            case "URL":
                Map<URI, String> byUrl = new HashMap<>();
                for (URI url : urls) {
                    if (url.getUserInfo() != null) {
                        byUrl.put(url, basic(url.getUserInfo()));
                    }
                }
                return byUrl.isEmpty() ? NONE : new RegistryCredentials(byUrl, null, "basic (URL)");
            default:
                throw new ConfigException(RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, basicSource,
                        "supported: USER_INFO, URL");
        }
    }

    private static String basic(String userInfo) {
        if (!userInfo.contains(":")) {
            throw new ConfigException(RegistryClientConfig.BASIC_AUTH_USER_INFO, "[hidden]", "expected user:password");
        }
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "RegistryCredentials[" + kind + "]";
    }
}
