package io.streamrag.inference.checkpoint.hub;

import java.io.IOException;

/** A model could not be had from the hub or its cache; the message says which repository, revision and file. */
public class HubException extends IOException {
    public HubException(String message) {
        super(message);
    }

    public HubException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The repository does not exist, or is private and the token (if any) does not grant access. */
    public static final class RepositoryNotFound extends HubException {
        public RepositoryNotFound(String message) {
            super(message);
        }
    }

    /** The repository exists but has no such branch, tag or commit. */
    public static final class RevisionNotFound extends HubException {
        public RevisionNotFound(String message) {
            super(message);
        }
    }

    /** The revision exists but has no such file. */
    public static final class EntryNotFound extends HubException {
        public EntryNotFound(String message) {
            super(message);
        }
    }

    /** The repository is gated: accept its conditions on the hub and pass a token ({@code HF_TOKEN}). */
    public static final class GatedRepository extends HubException {
        public GatedRepository(String message) {
            super(message);
        }
    }

    /** Any other HTTP failure, after retries where it was transient. */
    public static final class HttpFailure extends HubException {
        private final int status;

        public HttpFailure(String message, int status) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Offline (or the hub unreachable) and the cache does not hold what is needed. */
    public static final class NotInCache extends HubException {
        public NotInCache(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A download ended with a size or checksum other than the hub announced. */
    public static final class CorruptDownload extends HubException {
        public CorruptDownload(String message) {
            super(message);
        }
    }
}
