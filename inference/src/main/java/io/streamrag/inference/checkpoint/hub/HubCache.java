package io.streamrag.inference.checkpoint.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

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
 * </pre>
 */
public final class HubCache {
    private final Path repoFolder;

    public HubCache(Path cacheDirectory, HubModelId model) {
        this.repoFolder = cacheDirectory.resolve(model.cacheFolderName());
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
        Path tmp = ref.resolveSibling(ref.getFileName() + ".tmp" + ProcessHandle.current().pid());
        Files.writeString(tmp, commitHash, StandardCharsets.UTF_8);
        moveReplacing(tmp, ref);
    }

    public boolean isKnownMissing(String commitHash, String file) {
        return Files.exists(noExistMarker(commitHash, file));
    }

    public void markMissing(String commitHash, String file) throws IOException {
        Path marker = noExistMarker(commitHash, file);
        Files.createDirectories(marker.getParent());
        if (!Files.exists(marker)) {
            Files.createFile(marker);
        }
    }

    /**
     * Points {@code snapshots/<commit>/<file>} at the blob with a relative symlink, as huggingface_hub does; copies
     * the blob where the file system refuses links.
     */
    public Path linkIntoSnapshot(String commitHash, String file, String etag) throws IOException {
        Path target = snapshotFile(commitHash, file);
        Path blob = blob(etag);
        Files.createDirectories(target.getParent());
        Path relative = target.getParent().relativize(blob);
        Files.deleteIfExists(target);
        try {
            Files.createSymbolicLink(target, relative);
        } catch (UnsupportedOperationException | IOException e) {
            if (e instanceof FileAlreadyExistsException) {
                throw (FileAlreadyExistsException) e;
            }
            Files.copy(blob, target, StandardCopyOption.REPLACE_EXISTING);
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
