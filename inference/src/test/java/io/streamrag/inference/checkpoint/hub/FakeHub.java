package io.streamrag.inference.checkpoint.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback stand-in for the hub's {@code resolve} endpoint and its CDN, answering the way huggingface.co does:
 * small files straight from the hub with {@code ETag} = git blob hash; LFS files as a 302 to a second server (the
 * "CDN") with {@code X-Linked-Etag} = sha256 and {@code X-Linked-Size}; {@code X-Repo-Commit} on every answer;
 * {@code X-Error-Code} on errors; ranged GETs on the CDN. Faults can be injected per blob. Every request is logged.
 */
final class FakeHub implements AutoCloseable {
    static final int LFS_THRESHOLD = 1024;

    /** One request as the server saw it. */
    record Request(String server, String method, String path, String range, String authorization) {
    }

    private final HttpServer hub;
    private final HttpServer cdn;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, String> renamed = new ConcurrentHashMap<>();
    private final Map<String, byte[]> blobsBySha = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> cutsLeft = new ConcurrentHashMap<>();
    private final Map<String, Integer> cutAt = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> unavailableLeft = new ConcurrentHashMap<>();
    private final Map<String, byte[]> servedInstead = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private volatile CountDownLatch downloadGate = new CountDownLatch(0);

    FakeHub() throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        hub = HttpServer.create(loopback, 0);
        cdn = HttpServer.create(loopback, 0);
        hub.createContext("/", this::hubRequest);
        cdn.createContext("/", this::cdnRequest);
        // a thread per request: a held download must not block the requests of another client
        hub.setExecutor(executor);
        cdn.setExecutor(executor);
        hub.start();
        cdn.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + hub.getAddress().getPort());
    }

    /** A repository; its commits are added with {@link Repo#commit}. */
    Repo repo(String repoId) {
        return repos.computeIfAbsent(repoId, Repo::new);
    }

    /** Requests to the old name answer 307 with a relative Location under the new name, as after a rename. */
    void rename(String oldRepoId, String newRepoId) {
        renamed.put(oldRepoId, newRepoId);
    }

    /** The next {@code times} CDN downloads of this content stop after {@code afterBytes} bytes. */
    void cutConnection(byte[] content, int afterBytes, int times) {
        cutsLeft.put(sha256(content), new AtomicInteger(times));
        cutAt.put(sha256(content), afterBytes);
    }

    /** The next {@code times} CDN requests for this content answer 503. */
    void unavailable(byte[] content, int times) {
        unavailableLeft.put(sha256(content), new AtomicInteger(times));
    }

    /** The CDN serves other bytes than the hub announced for this content. */
    void serveInstead(byte[] content, byte[] actual) {
        servedInstead.put(sha256(content), actual);
    }

    /** CDN downloads wait until {@link #openDownloads()}. */
    void holdDownloads() {
        downloadGate = new CountDownLatch(1);
    }

    void openDownloads() {
        downloadGate.countDown();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(String server, String method) {
        return requests.stream().filter(r -> r.server().equals(server) && r.method().equals(method)).toList();
    }

    @Override
    public void close() {
        openDownloads();
        hub.stop(0);
        cdn.stop(0);
        executor.shutdownNow();
    }

    final class Repo {
        private final String id;
        private final Map<String, Map<String, byte[]>> filesByCommit = new ConcurrentHashMap<>();
        private final Map<String, String> commitByRef = new ConcurrentHashMap<>();
        private volatile boolean gated;
        private volatile String acceptedToken;

        Repo(String id) {
            this.id = id;
        }

        /** Adds a commit holding these files, points the refs at it, and returns its hash. */
        String commit(Map<String, byte[]> files, String... refs) {
            String hash = sha1Hex((id + filesByCommit.size() + files.keySet()).getBytes(StandardCharsets.UTF_8));
            filesByCommit.put(hash, new LinkedHashMap<>(files));
            for (String ref : refs) {
                commitByRef.put(ref, hash);
            }
            files.values().forEach(c -> blobsBySha.put(sha256(c), c));
            return hash;
        }

        void gate(String token) {
            gated = true;
            acceptedToken = token;
        }
    }

    private void hubRequest(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            log("hub", exchange);
            // /{org}/{name}/resolve/{revision}/{file...}
            String[] parts = path.substring(1).split("/", 5);
            if (parts.length < 5 || !parts[2].equals("resolve")) {
                send(exchange, 400, new byte[0]);
                return;
            }
            String repoId = parts[0] + "/" + parts[1];
            String revision = URLDecoder.decode(parts[3], StandardCharsets.UTF_8);
            String file = URLDecoder.decode(parts[4], StandardCharsets.UTF_8);
            if (renamed.containsKey(repoId)) {
                exchange.getResponseHeaders().add("Location",
                        "/" + renamed.get(repoId) + "/resolve/" + parts[3] + "/" + parts[4]);
                send(exchange, 307, new byte[0]);
                return;
            }
            Repo repo = repos.get(repoId);
            if (repo == null) {
                error(exchange, 401, "RepoNotFound", "Repository not found");
                return;
            }
            if (repo.gated && !("Bearer " + repo.acceptedToken).equals(
                    exchange.getRequestHeaders().getFirst("Authorization"))) {
                error(exchange, 401, "GatedRepo", "Access to model " + repoId + " is restricted");
                return;
            }
            String commit = repo.filesByCommit.containsKey(revision) ? revision : repo.commitByRef.get(revision);
            if (commit == null) {
                error(exchange, 404, "RevisionNotFound", "Invalid rev id: " + revision);
                return;
            }
            exchange.getResponseHeaders().add("X-Repo-Commit", commit);
            byte[] content = repo.filesByCommit.get(commit).get(file);
            if (content == null) {
                error(exchange, 404, "EntryNotFound", "Entry not found");
                return;
            }
            if (content.length >= LFS_THRESHOLD) {
                String sha = sha256(content);
                exchange.getResponseHeaders().add("X-Linked-Etag", "\"" + sha + "\"");
                exchange.getResponseHeaders().add("X-Linked-Size", Integer.toString(content.length));
                // the pointer file's own git hash, as on the hub: the client must prefer X-Linked-Etag
                exchange.getResponseHeaders().add("ETag", "\"" + gitBlobHash(("pointer " + sha).getBytes(
                        StandardCharsets.UTF_8)) + "\"");
                exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + cdn.getAddress().getPort()
                        + "/repos/" + sha + "?expires=soon&signature=abc");
                send(exchange, 302, new byte[0]);
                return;
            }
            exchange.getResponseHeaders().add("ETag", "\"" + gitBlobHash(content) + "\"");
            send(exchange, 200, content);
        }
    }

    private void cdnRequest(HttpExchange exchange) throws IOException {
        try (exchange) {
            log("cdn", exchange);
            String sha = exchange.getRequestURI().getPath().substring("/repos/".length());
            byte[] content = blobsBySha.get(sha);
            if (content == null) {
                send(exchange, 404, new byte[0]);
                return;
            }
            AtomicInteger failures = unavailableLeft.get(sha);
            if (failures != null && failures.getAndDecrement() > 0) {
                send(exchange, 503, new byte[0]);
                return;
            }
            try {
                downloadGate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            content = servedInstead.getOrDefault(sha, content);
            int from = 0;
            String range = exchange.getRequestHeaders().getFirst("Range");
            if (range != null) {
                from = Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
                if (from >= content.length) {
                    exchange.getResponseHeaders().add("Content-Range", "bytes */" + content.length);
                    send(exchange, 416, new byte[0]);
                    return;
                }
                exchange.getResponseHeaders().add("Content-Range",
                        "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
            }
            int length = content.length - from;
            AtomicInteger cuts = cutsLeft.get(sha);
            if (cuts != null && cuts.getAndDecrement() > 0) {
                // announce the whole length, send part of it, then drop the connection
                exchange.sendResponseHeaders(range != null ? 206 : 200, length);
                OutputStream body = exchange.getResponseBody();
                body.write(content, from, Math.min(length, cutAt.get(sha)));
                body.flush();
                return; // closing the exchange with bytes owed closes the connection
            }
            exchange.sendResponseHeaders(range != null ? 206 : 200, length);
            if (!exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseBody().write(content, from, length);
            }
        }
    }

    private void log(String server, HttpExchange exchange) {
        requests.add(new Request(server, exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestHeaders().getFirst("Range"),
                exchange.getRequestHeaders().getFirst("Authorization")));
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        exchange.getResponseHeaders().add("X-Error-Code", code);
        exchange.getResponseHeaders().add("X-Error-Message", message);
        send(exchange, status, new byte[0]);
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        if (exchange.getRequestMethod().equals("HEAD")) {
            if (status == 200) {
                exchange.getResponseHeaders().add("Content-Length", Integer.toString(body.length));
            }
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    static String sha256(byte[] content) {
        return HexFormat.of().formatHex(digest("SHA-256").digest(content));
    }

    /** Git's object id of a file: sha1 over "blob <size>\0" and the bytes. */
    static String gitBlobHash(byte[] content) {
        MessageDigest sha1 = digest("SHA-1");
        sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha1.digest(content));
    }

    private static String sha1Hex(byte[] content) {
        return HexFormat.of().formatHex(digest("SHA-1").digest(content));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> paths(List<Request> requests) {
        List<String> out = new ArrayList<>();
        requests.forEach(r -> out.add(r.method() + " " + r.path()));
        return out;
    }
}
