package io.streamrag.ingest.cdc;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Which columns of a captured table make a document. Only the id column(s) and the body are required.
 *
 * @param idColumns         the document id: the table's primary key, so all changes of a row share a partition; the
 *                          values of a composite key are joined with {@code idSeparator}, in this order
 * @param titleColumn       optional title, embedded in front of every chunk
 * @param body              the text to chunk and embed: one column or a template of several
 * @param tenantColumn      optional owner of the document
 * @param metadataColumn    optional json/jsonb column whose top-level fields become metadata (nested values as JSON)
 * @param metadataColumns   further columns copied into metadata under their own names
 * @param versionColumn     optional strictly increasing row version or updated-at column, used when the event has
 *                          no LSN (numbers as they are, ISO-8601 timestamps as epoch microseconds)
 * @param softDeleteColumn  optional column that marks a row deleted
 * @param softDeleteValue   the value of {@code softDeleteColumn} that means deleted (compared as text); null: any
 *                          true value (boolean true, "true", "t", "1", "yes", a non-zero number)
 * @param idPrefix          prepended to the id, to keep ids of several tables apart (e.g. {@code "articles:"})
 * @param idSeparator       between the values of a composite key
 */
public record CdcFieldMapping(
        List<String> idColumns,
        String titleColumn,
        BodyTemplate body,
        String tenantColumn,
        String metadataColumn,
        List<String> metadataColumns,
        String versionColumn,
        String softDeleteColumn,
        String softDeleteValue,
        String idPrefix,
        String idSeparator) {

    public static final String DEFAULT_ID_SEPARATOR = ":";

    public CdcFieldMapping {
        if (idColumns == null || idColumns.isEmpty() || idColumns.stream().anyMatch(c -> c == null || c.isBlank())) {
            throw new IllegalArgumentException("a CDC field mapping needs an id column");
        }
        idColumns = List.copyOf(idColumns);
        if (new LinkedHashSet<>(idColumns).size() != idColumns.size()) {
            throw new IllegalArgumentException("id columns name a column twice: " + idColumns);
        }
        if (body == null) {
            throw new IllegalArgumentException("a CDC field mapping needs a body column or template");
        }
        metadataColumns = metadataColumns == null ? List.of() : List.copyOf(metadataColumns);
        idPrefix = idPrefix == null ? "" : idPrefix;
        idSeparator = idSeparator == null ? DEFAULT_ID_SEPARATOR : idSeparator;
        if (idColumns.size() > 1 && idSeparator.isEmpty()) {
            throw new IllegalArgumentException("a composite id needs a non-empty separator");
        }
        if (softDeleteValue != null && softDeleteColumn == null) {
            throw new IllegalArgumentException("a soft-delete value needs a soft-delete column");
        }
    }

    /** The mapping with one id column and one body column, as before templates and composite keys. */
    public CdcFieldMapping(String idColumn, String titleColumn, String bodyColumn, String tenantColumn,
                           String metadataColumn, List<String> metadataColumns, String versionColumn,
                           String softDeleteColumn, String idPrefix) {
        this(idColumn == null ? null : List.of(idColumn), titleColumn,
                bodyColumn == null || bodyColumn.isBlank() ? null : BodyTemplate.column(bodyColumn), tenantColumn,
                metadataColumn, metadataColumns, versionColumn, softDeleteColumn, null, idPrefix, null);
    }

    /**
     * The columns of the sample {@code documents} table ({@code connectors/sql/documents.sql}): {@code id},
     * {@code title}, {@code body}, {@code tenant}, {@code metadata} (jsonb), {@code updated_at}, {@code deleted}.
     */
    public static final CdcFieldMapping DOCUMENTS_TABLE = new CdcFieldMapping("id", "title", "body", "tenant",
            "metadata", List.of(), "updated_at", "deleted", "");

    /** A mapping with only the id and body columns. */
    public static CdcFieldMapping of(String idColumn, String bodyColumn) {
        return new CdcFieldMapping(idColumn, null, bodyColumn, null, null, List.of(), null, null, "");
    }

    /**
     * Every column the mapping names: a full row image (insert, update, snapshot read) must carry all of them, or
     * the mapping does not fit the table.
     */
    public List<String> columns() {
        LinkedHashSet<String> columns = new LinkedHashSet<>(idColumns);
        add(columns, titleColumn);
        columns.addAll(body.columns());
        add(columns, tenantColumn);
        add(columns, metadataColumn);
        columns.addAll(metadataColumns);
        add(columns, versionColumn);
        add(columns, softDeleteColumn);
        return new ArrayList<>(columns);
    }

    private static void add(LinkedHashSet<String> columns, String column) {
        if (column != null) {
            columns.add(column);
        }
    }
}
