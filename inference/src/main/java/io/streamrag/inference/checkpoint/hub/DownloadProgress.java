package io.streamrag.inference.checkpoint.hub;

/** Told about the bytes of each file as they arrive; called on the downloading thread. */
@FunctionalInterface
public interface DownloadProgress {
    DownloadProgress NONE = (file, done, total) -> { };

    /**
     * @param file  the file's path inside the repository
     * @param done  bytes on disk so far, a resumed part included
     * @param total the size the hub announced, or -1 when it did not say
     */
    void onBytes(String file, long done, long total);
}
