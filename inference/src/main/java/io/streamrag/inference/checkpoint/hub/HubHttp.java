package io.streamrag.inference.checkpoint.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's {@code resolve} endpoint over the JDK HttpClient: {@code HEAD} for a file's metadata and {@code GET}
 * (optionally ranged) for its bytes, with the hub's headers and error codes read the way huggingface_hub reads them.
 * Redirects are followed here rather than by the client because the two requests treat them differently: a
 * {@code HEAD} follows only same-host redirects (a renamed repository) and reads the metadata off a redirect to the
 * CDN, a {@code GET} follows every redirect but sends the token to the hub only, never to another host.
 */
public final class HubHttp {
    private static final Logger LOG = LoggerFactory.getLogger(HubHttp.class);
    private static final int MAX_REDIRECTS = 10;
    private static final String USER_AGENT = "streamrag-hub-client/1 (java " + Runtime.version().feature() + ")";

    private final HubSettings settings;
    private final HttpClient client;

    public HubHttp(HubSettings settings) {
        this(settings, HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    HubHttp(HubSettings settings, HttpClient client) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.client = Objects.requireNonNull(client, "client");
    }

    public HubSettings settings() {
        return settings;
    }

    /** {@code {endpoint}/{org}/{name}/resolve/{revision}/{file}}, each part percent-encoded. */
    public URI resolveUrl(HubModelId model, String revision, String file) {
        StringBuilder url = new StringBuilder(settings.endpoint().toString())
                .append('/').append(model.repoId())
                .append("/resolve/").append(encodeSegment(revision));
        for (String segment : file.split("/")) {
            url.append('/').append(encodeSegment(segment));
        }
        return URI.create(url.toString());
    }

    /**
     * The file's metadata at a revision, with retries for transient failures.
     *
     * @throws HubException.EntryNotFound and its siblings for the hub's error codes
     */
    public RemoteFile head(HubModelId model, String revision, String file) throws IOException {
        URI url = resolveUrl(model, revision, file);
        String what = file + " of " + model.repoId() + "@" + revision;
        for (int attempt = 1; ; attempt++) {
            try {
                return headOnce(url, model, revision, file, what);
            } catch (IOException e) {
                if (!isTransient(e) || attempt >= settings.retry().maxAttempts()) {
                    throw e;
                }
                LOG.warn("HEAD {} failed (attempt {}/{}): {}; retrying", url, attempt, settings.retry().maxAttempts(),
                        e.toString());
                pause(attempt);
            }
        }
    }

    private RemoteFile headOnce(URI url, HubModelId model, String revision, String file, String what)
            throws IOException {
        URI current = url;
        for (int hop = 0; ; hop++) {
            HttpResponse<Void> response = send(request(current).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.discarding(), what);
            int status = response.statusCode();
            if (isRedirect(status)) {
                String location = response.headers().firstValue("Location")
                        .orElseThrow(() -> new HubException("redirect without Location for " + what));
                URI target = current.resolve(location);
                if (URI.create(location).getHost() == null && hop < MAX_REDIRECTS) {
                    // relative: the repository was renamed or moved; same host, keep asking the hub
                    current = target;
                    continue;
                }
                // absolute: a CDN; the hub put the file's metadata on the redirect itself
                return metadataFrom(response.headers(), model, revision, file, what);
            }
            if (status >= 200 && status < 300) {
                return metadataFrom(response.headers(), model, revision, file, what);
            }
            throw errorFor(status, response.headers(), what);
        }
    }

    private RemoteFile metadataFrom(HttpHeaders headers, HubModelId model, String revision, String file, String what)
            throws HubException {
        String commit = headers.firstValue("X-Repo-Commit").orElse(null);
        String etag = headers.firstValue("X-Linked-Etag").or(() -> headers.firstValue("ETag"))
                .map(HubHttp::normalizeEtag).orElse(null);
        if (commit == null || etag == null || etag.isEmpty()) {
            throw new HubException("the server at " + settings.endpoint() + " answered for " + what
                    + " without X-Repo-Commit or ETag: is HF_ENDPOINT a Hugging Face hub?");
        }
        if (!HubModelId.isCommitHash(commit)) {
            throw new HubException("the hub answered for " + what + " with X-Repo-Commit '" + commit
                    + "', not a commit hash");
        }
        long size = longHeader(headers, "X-Linked-Size").orElse(longHeader(headers, "Content-Length").orElse(-1));
        return new RemoteFile(file, commit, etag, size, resolveUrl(model, commit, file));
    }

    /**
     * Opens a {@code GET} of the URL, from {@code fromByte} on when it is above zero, following redirects. The
     * caller owns (and must close) the body; the status is 200 or 206 (or 416 when the range is past the end).
     */
    public HttpResponse<InputStream> get(URI url, long fromByte, String what) throws IOException {
        URI current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder builder = request(current).GET();
            if (fromByte > 0) {
                builder.header("Range", "bytes=" + fromByte + "-");
            }
            HttpResponse<InputStream> response = send(builder.build(), HttpResponse.BodyHandlers.ofInputStream(),
                    what);
            int status = response.statusCode();
            if (isRedirect(status)) {
                String location = response.headers().firstValue("Location").orElse(null);
                response.body().close();
                if (location == null) {
                    throw new HubException("redirect without Location for " + what);
                }
                current = current.resolve(location);
                continue;
            }
            if (status == 200 || status == 206 || status == 416) {
                return response;
            }
            try (InputStream ignored = response.body()) {
                throw errorFor(status, response.headers(), what);
            }
        }
        throw new HubException("more than " + MAX_REDIRECTS + " redirects for " + what + " from " + url);
    }

    private HttpRequest.Builder request(URI url) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(url)
                .timeout(settings.readTimeout())
                .header("User-Agent", USER_AGENT)
                // sizes and hashes are of the raw bytes: no transparent compression
                .header("Accept-Encoding", "identity");
        Optional<String> token = settings.bearerToken();
        if (token.isPresent() && sameOrigin(url, settings.endpoint())) {
            builder.header("Authorization", "Bearer " + token.get());
        }
        return builder;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, String what)
            throws IOException {
        try {
            return client.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while fetching " + what);
        }
    }

    private HubException errorFor(int status, HttpHeaders headers, String what) {
        String code = headers.firstValue("X-Error-Code").orElse("");
        String serverMessage = headers.firstValue("X-Error-Message").map(m -> " (" + m + ")").orElse("");
        String tokenHint = settings.bearerToken().isPresent() ? "" : "; no HF_TOKEN was set";
        switch (code) {
            case "RepoNotFound":
                return new HubException.RepositoryNotFound("repository not found for " + what + ": HTTP " + status
                        + serverMessage + ". Check the name; a private repository needs a token that can read it"
                        + tokenHint);
            case "RevisionNotFound":
                return new HubException.RevisionNotFound("revision not found for " + what + ": HTTP " + status
                        + serverMessage + ". Check the branch, tag or commit after '@'");
            case "EntryNotFound":
                return new HubException.EntryNotFound("file not found: " + what + ": HTTP " + status + serverMessage);
            case "GatedRepo":
                return new HubException.GatedRepository("gated repository for " + what + ": HTTP " + status
                        + serverMessage + ". Accept its conditions on the hub with your account and pass a token"
                        + tokenHint);
            default:
                break;
        }
        if (status == 404) {
            // a mirror may omit X-Error-Code; a plain 404 on a resolve URL is most likely a missing file
            return new HubException.EntryNotFound("not found: " + what + ": HTTP 404" + serverMessage);
        }
        if (status == 401 || status == 403) {
            return new HubException.HttpFailure("access denied for " + what + ": HTTP " + status + serverMessage
                    + tokenHint, status);
        }
        return new HubException.HttpFailure("HTTP " + status + " for " + what + serverMessage, status);
    }

    /** 5xx, 429, 408, and broken or timed-out connections are worth another try; hub verdicts are not. */
    static boolean isTransient(IOException e) {
        if (e instanceof HubException.HttpFailure) {
            int status = ((HubException.HttpFailure) e).status();
            return status >= 500 || status == 429 || status == 408;
        }
        return !(e instanceof HubException) && !(e instanceof java.io.InterruptedIOException);
    }

    void pause(int failedAttempt) throws IOException {
        try {
            Thread.sleep(settings.retry().delayAfter(failedAttempt).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting to retry");
        }
    }

    static String normalizeEtag(String etag) {
        String e = etag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e;
    }

    private static OptionalLong longHeader(HttpHeaders headers, String name) {
        Optional<String> value = headers.firstValue(name);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.get().trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme().toLowerCase(Locale.ROOT)) ? 443 : 80;
    }

    private static String encodeSegment(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
