package io.streamrag.inference.worker;

/**
 * Which lane of a {@link BatchingWorker} a request waits in. Interactive requests (a question someone waits for) go
 * before every bulk request (indexing, reindexing) that has not started yet, so they wait behind at most the one
 * bulk batch already running.
 */
public enum Priority {
    INTERACTIVE,
    BULK;

    /** The label of this lane in metrics ({@code lane="interactive"}). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
