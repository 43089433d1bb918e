package io.streamrag.inference.checkpoint.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;

/**
 * One model repository's folder in the hub cache, laid out exactly as huggingface_hub lays it out so that either
 * side reuses what the other downloaded:
 * <pre>
 * models--org--name/
 *   blobs/&lt;etag&gt;                      file contents, named by etag (sha256 for LFS files, git hash otherwise)
 *   blobs/&lt;etag&gt;.incomplete           a download in progress, resumed from its length
 *   snapshots/&lt;commit&gt;/&lt;file&gt;        relative symlink to ../../blobs/&lt;etag&gt; (a copy where links fail)
 *   refs/&lt;revision&gt;                   the commit hash a branch or tag pointed to when last asked
 *   .no_exist/&lt;commit&gt;/&lt;file&gt;        empty marker: the file does not exist at that commit
 * .locks/models--org--name/&lt;etag&gt;.lock  held while a blob downloads
 * </pre>
 * Every write lands under a temporary name first and is renamed into place, so that a reader sharing the cache
 * never sees half a file or a missing link.
 */
public final class HubCache {
    private final Path repoFolder;
    private final Path lockFolder;

    public HubCache(Path cacheDirectory, HubModelId model) {
        this.repoFolder = cacheDirectory.resolve(model.cacheFolderName());
        this.lockFolder = cacheDirectory.resolve(".locks").resolve(model.cacheFolderName());
    }

    public Path repoFolder() {
        return repoFolder;
    }

    public Path blob(String etag) {
        return safeResolve(repoFolder.resolve("blobs"), etag);
    }

    public Path incompleteBlob(String etag) {
        return blob(etag).resolveSibling(etag + ".incomplete");
    }

    /** Where huggingface_hub keeps the lock file of a blob's download. */
    public Path blobLock(String etag) {
        return safeResolve(lockFolder, etag + ".lock");
    }

    public Path snapshotFolder(String commitHash) {
        return safeResolve(repoFolder.resolve("snapshots"), commitHash);
    }

    public Path snapshotFile(String commitHash, String file) {
        return safeResolve(snapshotFolder(commitHash), file);
    }

    private Path noExistMarker(String commitHash, String file) {
        return safeResolve(safeResolve(repoFolder.resolve(".no_exist"), commitHash), file);
    }

    /** The commit a revision resolves to from the cache alone: a commit hash is itself, else {@code refs/}. */
    public Optional<String> cachedCommit(String revision) throws IOException {
        if (HubModelId.isCommitHash(revision)) {
            return Optional.of(revision);
        }
        Path ref = safeResolve(repoFolder.resolve("refs"), revision);
        if (!Files.isRegularFile(ref)) {
            return Optional.empty();
        }
        String commit = Files.readString(ref, StandardCharsets.UTF_8).trim();
        return HubModelId.isCommitHash(commit) ? Optional.of(commit) : Optional.empty();
    }

    /** Records where a branch or tag points; a commit hash needs no ref, as in huggingface_hub. */
    public void writeRef(String revision, String commitHash) throws IOException {
        if (revision.equals(commitHash)) {
            return;
        }
        Path ref = safeResolve(repoFolder.resolve("refs"), revision);
        Optional<String> current = cachedCommit(revision);
        if (current.isPresent() && current.get().equals(commitHash)) {
            return;
        }
        Files.createDirectories(ref.getParent());
        Path tmp = ref.resolveSibling(ref.getFileName() + ".tmp-" + UUID.randomUUID());
        Files.writeString(tmp, commitHash, StandardCharsets.UTF_8);
        moveReplacing(tmp, ref);
    }

    public boolean isKnownMissing(String commitHash, String file) {
        return Files.exists(noExistMarker(commitHash, file));
    }

    public void markMissing(String commitHash, String file) throws IOException {
        Path marker = noExistMarker(commitHash, file);
        Files.createDirectories(marker.getParent());
        try {
            Files.createFile(marker);
        } catch (java.nio.file.FileAlreadyExistsException alreadyMarked) {
            // another resolver marked it first: same outcome
        }
    }

    /**
     * Points {@code snapshots/<commit>/<file>} at the blob with a relative symlink, as huggingface_hub does; copies
     * the blob where the file system refuses links. The link is made under a temporary name and renamed over the
     * target, so concurrent resolvers of the same snapshot cannot trip over each other.
     */
    public Path linkIntoSnapshot(String commitHash, String file, String etag) throws IOException {
        Path target = snapshotFile(commitHash, file);
        Path blob = blob(etag);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            try {
                Files.createSymbolicLink(tmp, target.getParent().relativize(blob));
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            moveReplacing(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    static void moveReplacing(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Names from the hub end up in paths: refuse any that would leave the cache folder. */
    private static Path safeResolve(Path base, String relative) {
        Path resolved = base.resolve(relative).normalize();
        if (relative.isEmpty() || relative.startsWith("/") || !resolved.startsWith(base.normalize())) {
            throw new IllegalArgumentException("refusing a cache path outside " + base + ": '" + relative + "'");
        }
        return resolved;
    }
}
