package io.streamrag.inference.checkpoint.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one blob into the cache: downloads to {@code blobs/<etag>.incomplete}, resumes a broken transfer with
 * {@code Range: bytes=N-}, retries transient failures with backoff, checks the size the hub announced (and the
 * sha256 for LFS files, whose etag is that hash), then renames the file to {@code blobs/<etag>}. A half-written
 * {@code .incomplete} left by an earlier run (ours or huggingface_hub's) is resumed too.
 */
final class BlobDownloader {
    private static final Logger LOG = LoggerFactory.getLogger(BlobDownloader.class);
    private static final int BUFFER = 64 * 1024;

    private final HubHttp http;

    BlobDownloader(HubHttp http) {
        this.http = Objects.requireNonNull(http, "http");
    }

    Path download(RemoteFile remote, HubCache cache, DownloadProgress progress) throws IOException {
        Path blob = cache.blob(remote.etag());
        if (isComplete(blob, remote)) {
            return blob;
        }
        try (BlobLock ignored = BlobLock.acquire(cache.blobLock(remote.etag()))) {
            // whoever held the lock before may have finished this very blob
            if (isComplete(blob, remote)) {
                return blob;
            }
            return downloadLocked(remote, cache, blob, progress);
        }
    }

    private static boolean isComplete(Path blob, RemoteFile remote) throws IOException {
        return Files.isRegularFile(blob) && (remote.size() < 0 || Files.size(blob) == remote.size());
    }

    private Path downloadLocked(RemoteFile remote, HubCache cache, Path blob, DownloadProgress progress)
            throws IOException {
        Path incomplete = cache.incompleteBlob(remote.etag());
        Files.createDirectories(incomplete.getParent());
        String what = remote.path() + " (blob " + remote.etag() + ") from " + remote.downloadUrl();
        int maxAttempts = http.settings().retry().maxAttempts();
        for (int attempt = 1; ; attempt++) {
            try {
                if (transfer(remote, incomplete, progress, what)) {
                    break;
                }
            } catch (IOException e) {
                if (!HubHttp.isTransient(e) || attempt >= maxAttempts) {
                    throw new HubException("download of " + what + " failed after " + attempt + " attempt(s), "
                            + sizeOf(incomplete) + " bytes kept in " + incomplete + " for a later resume: " + e,
                            e);
                }
                LOG.warn("download of {} broke at {} bytes (attempt {}/{}): {}; resuming", what, sizeOf(incomplete),
                        attempt, maxAttempts, e.toString());
                http.pause(attempt);
            }
        }
        verify(remote, incomplete, what);
        HubCache.moveReplacing(incomplete, blob);
        return blob;
    }

    /** One request; true when the body arrived in full, false when the partial file was unusable and dropped. */
    private boolean transfer(RemoteFile remote, Path incomplete, DownloadProgress progress, String what)
            throws IOException {
        long have = sizeOf(incomplete);
        if (remote.size() >= 0 && have == remote.size()) {
            return true;
        }
        if (remote.size() >= 0 && have > remote.size()) {
            Files.delete(incomplete);
            have = 0;
        }
        HttpResponse<InputStream> response = http.get(remote.downloadUrl(), have, what);
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status == 416) {
                // the range starts past the end: the partial file is not a prefix of this blob
                LOG.warn("server refused to resume {} at byte {}; starting over", what, have);
                Files.deleteIfExists(incomplete);
                return false;
            }
            boolean append = status == 206 && have > 0 && rangeStartsAt(response, have);
            if (!append && have > 0) {
                LOG.info("server sent all of {} instead of resuming at byte {}; starting over", what, have);
                have = 0;
            }
            try (OutputStream out = Files.newOutputStream(incomplete, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buffer = new byte[BUFFER];
                long done = have;
                progress.onBytes(remote.path(), done, remote.size());
                for (int n; (n = body.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    done += n;
                    progress.onBytes(remote.path(), done, remote.size());
                }
            }
        }
        return true;
    }

    private static boolean rangeStartsAt(HttpResponse<?> response, long offset) {
        // Content-Range: bytes <start>-<end>/<total>
        return response.headers().firstValue("Content-Range")
                .map(v -> v.trim().startsWith("bytes " + offset + "-"))
                .orElse(false);
    }

    private static void verify(RemoteFile remote, Path incomplete, String what) throws IOException {
        long size = Files.size(incomplete);
        if (remote.size() >= 0 && size != remote.size()) {
            Files.delete(incomplete);
            throw new HubException.CorruptDownload("size check failed for " + what + ": the hub announced "
                    + remote.size() + " bytes, " + size + " arrived; the partial file was deleted, try again");
        }
        if (remote.etagIsSha256()) {
            String actual = sha256(incomplete);
            if (!actual.equals(remote.etag())) {
                Files.delete(incomplete);
                throw new HubException.CorruptDownload("checksum failed for " + what + ": sha256 is " + actual
                        + ", the hub announced " + remote.etag() + "; the file was deleted, try again");
            }
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static long sizeOf(Path file) throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }
}
