package io.streamrag.ingest.cdc;

/** Whether a CDC topic's values are Debezium's full change events or rows flattened by ExtractNewRecordState. */
public enum CdcEnvelope {
    /**
     * Decide per event: a value with {@code op} and {@code before} or {@code after} is an envelope, anything else a
     * flattened row. Wrong only for a table that has columns named {@code op} and {@code after}/{@code before}.
     */
    AUTO,
    /** Full envelopes; a value without {@code op} is dead-lettered. */
    FULL,
    /** Flattened rows, whatever their column names. */
    FLATTENED
}
