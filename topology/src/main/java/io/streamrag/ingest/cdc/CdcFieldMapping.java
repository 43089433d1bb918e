package io.streamrag.ingest.cdc;

import java.util.List;

/**
 * Which columns of a captured table make a document. Only {@code idColumn} and {@code bodyColumn} are required.
 *
 * @param idColumn          the document id; use the table's primary key, so all changes of a row share a partition
 * @param titleColumn       optional title, embedded in front of every chunk
 * @param bodyColumn        the text to chunk and embed
 * @param tenantColumn      optional owner of the document
 * @param metadataColumn    optional json/jsonb column whose top-level fields become metadata (nested values as JSON)
 * @param metadataColumns   further columns copied into metadata under their own names
 * @param versionColumn     optional strictly increasing row version or updated-at column, used when the event has
 *                          no LSN (numbers as they are, ISO-8601 timestamps as epoch microseconds)
 * @param softDeleteColumn  optional boolean column; true turns the change into a delete
 * @param idPrefix          prepended to the id, to keep ids of several tables apart (e.g. {@code "articles:"})
 */
public record CdcFieldMapping(
        String idColumn,
        String titleColumn,
        String bodyColumn,
        String tenantColumn,
        String metadataColumn,
        List<String> metadataColumns,
        String versionColumn,
        String softDeleteColumn,
        String idPrefix) {

    public CdcFieldMapping {
        if (idColumn == null || idColumn.isBlank()) {
            throw new IllegalArgumentException("a CDC field mapping needs an id column");
        }
        if (bodyColumn == null || bodyColumn.isBlank()) {
            throw new IllegalArgumentException("a CDC field mapping needs a body column");
        }
        metadataColumns = metadataColumns == null ? List.of() : List.copyOf(metadataColumns);
        idPrefix = idPrefix == null ? "" : idPrefix;
    }

    /** A mapping with only the id and body columns. */
    public static CdcFieldMapping of(String idColumn, String bodyColumn) {
        return new CdcFieldMapping(idColumn, null, bodyColumn, null, null, List.of(), null, null, "");
    }
}
