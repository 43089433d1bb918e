package io.streamrag.inference.checkpoint.hub;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach the Hugging Face Hub and where its cache lives. The application builds it from its configuration
 * ({@code models.hub.*}), whose defaults are the environment variables and paths that Python's {@code huggingface_hub}
 * uses, so one cache serves both.
 *
 * @param endpoint      base URL of the hub, without a trailing slash ({@code HF_ENDPOINT})
 * @param cacheDirectory the hub cache holding {@code models--org--name} folders ({@code HF_HUB_CACHE})
 * @param token         bearer token sent to the hub, or null ({@code HF_TOKEN})
 * @param offline       use the cache only, never the network ({@code HF_HUB_OFFLINE})
 * @param checkForUpdates when a branch or tag was resolved before and every file is cached, ask the hub whether it
 *                      moved (huggingface_hub's behaviour) instead of starting from the cache without network
 * @param retry         how transient failures are retried
 * @param connectTimeout connect timeout of each request
 * @param readTimeout   how long to wait for a response's headers
 */
public record HubSettings(
        URI endpoint,
        Path cacheDirectory,
        String token,
        boolean offline,
        boolean checkForUpdates,
        RetryPolicy retry,
        Duration connectTimeout,
        Duration readTimeout) {

    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

    public HubSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(cacheDirectory, "cacheDirectory");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        String text = endpoint.toString();
        if (text.endsWith("/")) {
            endpoint = URI.create(text.substring(0, text.length() - 1));
        }
        if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
            throw new IllegalArgumentException("hub endpoint must be an http(s) URL, got " + endpoint);
        }
        if (token != null && token.isBlank()) {
            token = null;
        }
    }

    /** Settings for a given endpoint and cache, online, with the default retry policy; handy in tests. */
    public static HubSettings of(URI endpoint, Path cacheDirectory) {
        return new HubSettings(endpoint, cacheDirectory, null, false, false, RetryPolicy.DEFAULT,
                Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    public Optional<String> bearerToken() {
        return Optional.ofNullable(token);
    }

    public HubSettings withToken(String newToken) {
        return new HubSettings(endpoint, cacheDirectory, newToken, offline, checkForUpdates, retry, connectTimeout,
                readTimeout);
    }

    public HubSettings withOffline(boolean newOffline) {
        return new HubSettings(endpoint, cacheDirectory, token, newOffline, checkForUpdates, retry, connectTimeout,
                readTimeout);
    }

    public HubSettings withCheckForUpdates(boolean check) {
        return new HubSettings(endpoint, cacheDirectory, token, offline, check, retry, connectTimeout, readTimeout);
    }

    public HubSettings withRetry(RetryPolicy newRetry) {
        return new HubSettings(endpoint, cacheDirectory, token, offline, checkForUpdates, newRetry, connectTimeout,
                readTimeout);
    }

    @Override
    public String toString() {
        // never print the token
        return "HubSettings[endpoint=" + endpoint + ", cacheDirectory=" + cacheDirectory + ", token="
                + (token == null ? "none" : "***") + ", offline=" + offline + ", checkForUpdates=" + checkForUpdates
                + ", retry=" + retry + "]";
    }

    /**
     * Exponential backoff for transient failures (5xx, 429, broken connections).
     *
     * @param maxAttempts attempts in all, the first included
     * @param firstDelay  wait before the second attempt; doubles each time
     * @param maxDelay    cap on one wait
     */
    public record RetryPolicy(int maxAttempts, Duration firstDelay, Duration maxDelay) {
        public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(8));

        public RetryPolicy {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
            }
            Objects.requireNonNull(firstDelay, "firstDelay");
            Objects.requireNonNull(maxDelay, "maxDelay");
        }

        /** The wait after the given failed attempt (1-based). */
        public Duration delayAfter(int failedAttempt) {
            long millis = firstDelay.toMillis() << Math.min(20, Math.max(0, failedAttempt - 1));
            return Duration.ofMillis(Math.min(millis, maxDelay.toMillis()));
        }
    }
}
