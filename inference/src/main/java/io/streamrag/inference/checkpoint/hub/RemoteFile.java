package io.streamrag.inference.checkpoint.hub;

import java.net.URI;

/**
 * What the hub says about one file at one revision (its {@code HEAD} answer).
 *
 * @param path        the file's path inside the repository
 * @param commitHash  the commit the revision points to ({@code X-Repo-Commit})
 * @param etag        the blob's name in the cache: the sha256 for LFS files ({@code X-Linked-Etag}), the git blob
 *                    hash otherwise ({@code ETag}); quotes and weak prefix removed
 * @param size        the file's size ({@code X-Linked-Size}, else {@code Content-Length}), -1 when unknown
 * @param downloadUrl where to {@code GET} it: the resolve URL itself, or the CDN URL it redirects to
 */
public record RemoteFile(String path, String commitHash, String etag, long size, URI downloadUrl) {

    /** LFS files are named by the sha256 of their content, so the content can be checked against the name. */
    public boolean etagIsSha256() {
        return etag.matches("^[0-9a-f]{64}$");
    }
}
