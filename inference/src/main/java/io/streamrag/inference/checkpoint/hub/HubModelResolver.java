package io.streamrag.inference.checkpoint.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code hf://org/name@revision} into a snapshot folder of the hub cache holding every file the model needs.
 *
 * <p>The cache is tried first, without network, when the revision is a commit hash (its files never change), when
 * offline, or when {@link HubSettings#checkForUpdates()} is off and the branch was resolved before: a worker that
 * restarts then starts from disk. Otherwise, like huggingface_hub, the hub is asked for each file's metadata; the
 * first answer fixes the commit and every later file is asked for at that commit, so a branch moving mid-download
 * cannot mix two versions. Blobs already in the cache are linked, not downloaded again. When the hub cannot be
 * reached at all, a complete cached snapshot is used with a warning.
 */
public final class HubModelResolver {
    private static final Logger LOG = LoggerFactory.getLogger(HubModelResolver.class);

    private final HubSettings settings;
    private final HubHttp http;
    private final BlobDownloader downloader;

    public HubModelResolver(HubSettings settings) {
        this(settings, new HubHttp(settings));
    }

    HubModelResolver(HubSettings settings, HubHttp http) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.http = http;
        this.downloader = new BlobDownloader(http);
    }

    public Path resolve(HubModelId model, DownloadProgress progress) throws IOException {
        HubCache cache = new HubCache(settings.cacheDirectory(), model);
        boolean cacheFirst = settings.offline() || model.isPinnedToCommit() || !settings.checkForUpdates();
        if (cacheFirst) {
            try {
                // offline, an optional file the cache never saw is taken as absent, as huggingface_hub does
                Path snapshot = fromCache(model, cache, settings.offline());
                LOG.debug("{} found complete in the cache at {}", model, snapshot);
                return snapshot;
            } catch (CacheMiss miss) {
                if (settings.offline()) {
                    throw new HubException.NotInCache("offline (HF_HUB_OFFLINE) and " + model + " is not complete"
                            + " in the cache " + cache.repoFolder() + ": " + miss.getMessage()
                            + ". Download it once online, or unset HF_HUB_OFFLINE", miss);
                }
            }
        }
        try {
            return online(model, cache, progress);
        } catch (IOException e) {
            if (!HubHttp.isTransient(e)) {
                throw e;
            }
            try {
                Path snapshot = fromCache(model, cache, true);
                LOG.warn("the hub at {} could not be reached ({}); using the cached snapshot {}",
                        settings.endpoint(), e.toString(), snapshot);
                return snapshot;
            } catch (CacheMiss miss) {
                e.addSuppressed(miss);
                throw new HubException.NotInCache("the hub at " + settings.endpoint() + " could not be reached for "
                        + model + " and the cache does not hold it: " + e.getMessage(), e);
            }
        }
    }

    /**
     * @param optionalMayBeAbsent take an optional file that is neither cached nor known missing as absent; else
     *                            such a file is a miss, to be asked of the hub
     */
    private Path fromCache(HubModelId model, HubCache cache, boolean optionalMayBeAbsent) throws IOException {
        String commit = cache.cachedCommit(model.revision()).orElseThrow(() -> new CacheMiss(
                "no refs/" + model.revision() + " in the cache"));
        Path folder = cache.snapshotFolder(commit);
        ModelFiles.fetchAll(new ModelFiles.FileSource() {
            @Override
            public Optional<Path> file(String path, boolean required) throws IOException {
                Path local = cache.snapshotFile(commit, path);
                if (Files.isRegularFile(local)) { // follows the symlink: a dangling link is a miss
                    return Optional.of(local);
                }
                if (!required && (optionalMayBeAbsent || cache.isKnownMissing(commit, path))) {
                    return Optional.empty();
                }
                throw new CacheMiss(path + " at commit " + commit + " is not in the cache");
            }

            @Override
            public Path snapshotFolder() {
                return folder;
            }
        }, model.toString());
        return folder;
    }

    private Path online(HubModelId model, HubCache cache, DownloadProgress progress) throws IOException {
        OnlineSource source = new OnlineSource(model, cache, progress);
        List<String> files = ModelFiles.fetchAll(source, model.toString());
        LOG.info("{} resolved to commit {} ({} files, {} downloaded) in {}", model, source.commit, files.size(),
                source.downloaded, source.snapshotFolder());
        return source.snapshotFolder();
    }

    /** Asks the hub for each file, pinned to the commit of its first answer. */
    private final class OnlineSource implements ModelFiles.FileSource {
        private final HubModelId model;
        private final HubCache cache;
        private final DownloadProgress progress;
        private String commit;
        private int downloaded;

        OnlineSource(HubModelId model, HubCache cache, DownloadProgress progress) {
            this.model = model;
            this.cache = cache;
            this.progress = progress;
            this.commit = model.isPinnedToCommit() ? model.revision() : null;
        }

        @Override
        public Optional<Path> file(String path, boolean required) throws IOException {
            if (commit != null) {
                Path local = cache.snapshotFile(commit, path);
                if (Files.isRegularFile(local)) {
                    return Optional.of(local);
                }
                if (cache.isKnownMissing(commit, path)) {
                    if (required) {
                        throw new HubException.EntryNotFound("required file " + path + " does not exist in "
                                + model + " (commit " + commit + ", remembered in the cache's .no_exist)");
                    }
                    return Optional.empty();
                }
            }
            RemoteFile remote;
            try {
                remote = http.head(model, commit != null ? commit : model.revision(), path);
            } catch (HubException.EntryNotFound e) {
                if (commit != null) {
                    cache.markMissing(commit, path);
                }
                if (required) {
                    throw new HubException.EntryNotFound("required file " + path + " is missing from " + model
                            + ": " + e.getMessage());
                }
                return Optional.empty();
            }
            if (commit == null) {
                commit = remote.commitHash();
                cache.writeRef(model.revision(), commit);
            } else if (!commit.equals(remote.commitHash())) {
                throw new HubException("the hub answered for " + path + " of " + model + " at commit "
                        + remote.commitHash() + " while resolving commit " + commit);
            }
            Path local = cache.snapshotFile(commit, path);
            if (Files.isRegularFile(local)) {
                return Optional.of(local);
            }
            if (!Files.isRegularFile(cache.blob(remote.etag()))) {
                downloader.download(remote, cache, progress);
                downloaded++;
            }
            return Optional.of(cache.linkIntoSnapshot(commit, path, remote.etag()));
        }

        @Override
        public Path snapshotFolder() {
            if (commit == null) {
                throw new IllegalStateException("no file resolved yet for " + model);
            }
            return cache.snapshotFolder(commit);
        }
    }

    /** The cache alone cannot serve the model; a signal between the cache walk and the network walk. */
    private static final class CacheMiss extends HubException {
        CacheMiss(String message) {
            super(message);
        }
    }
}
