package io.streamrag.ingest;

import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.contracts.Operation;
import java.time.Instant;
import java.util.Map;

/**
 * Decides whether an incoming change of a document is newer than what is already known of it: the change waiting in
 * the buffer, else the last applied one. A change whose version is not greater is stale (an out-of-order or
 * duplicate delivery). A version-less delete (a tombstone) deletes whatever the document currently is, at its latest
 * known version, and is redundant when the document is already deleted or being deleted.
 */
public final class VersionGate {

    private VersionGate() {
    }

    /** The verdict: {@code admitted} is the change to buffer, or null when nothing is to be done. */
    public record Verdict(DocumentChange admitted, boolean stale) {
    }

    /**
     * @param documentId the document
     * @param incoming   the change, or null for a delete of the current state
     * @param eventTime  when a version-less delete happened at the source (its record timestamp)
     * @param pending    the buffered change of the document, or null
     * @param applied    the last applied change of the document, or null
     */
    public static Verdict admit(String documentId, DocumentChange incoming, long eventTime, DocumentChange pending,
                                IndexUpdate applied) {
        Long latestVersion = pending != null ? Long.valueOf(pending.getVersion())
                : applied != null ? Long.valueOf(applied.getVersion()) : null;
        if (incoming != null) {
            boolean stale = latestVersion != null && incoming.getVersion() <= latestVersion;
            return stale ? new Verdict(null, true) : new Verdict(incoming, false);
        }
        boolean alreadyDeleted = pending != null ? pending.getOperation() == Operation.DELETE
                : applied != null && applied.getOperation() == Operation.DELETE;
        if (alreadyDeleted) {
            return new Verdict(null, false);
        }
        String tenant = pending != null ? pending.getTenant() : applied != null ? applied.getTenant() : null;
        return new Verdict(DocumentChange.newBuilder()
                .setOperation(Operation.DELETE)
                .setDocumentId(documentId)
                .setVersion(latestVersion == null ? 0L : latestVersion)
                .setTenant(tenant)
                .setMetadata(Map.of())
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .build(), false);
    }
}
