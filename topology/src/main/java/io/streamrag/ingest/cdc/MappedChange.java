package io.streamrag.ingest.cdc;

import io.streamrag.contracts.DocumentChange;

/**
 * What a CDC record means for a document: a versioned change, or (change null) a delete of whatever the document
 * currently is: a tombstone, or a delete event that carries no comparable version.
 */
public record MappedChange(String documentId, DocumentChange change) {

    public boolean deletesCurrentState() {
        return change == null;
    }
}
