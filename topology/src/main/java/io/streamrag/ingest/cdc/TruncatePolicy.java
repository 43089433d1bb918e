package io.streamrag.ingest.cdc;

/** What a Debezium truncate event ({@code op = t}) of a source does. */
public enum TruncatePolicy {
    /**
     * Delete every document of the source, as the table now has no rows. The ingest knows a source's documents per
     * input partition, and Debezium writes a truncate event (it has no key) to one partition: this removes them all
     * when the topic has one partition, as Debezium's topics do unless told otherwise (Debezium itself orders a
     * truncate with the table's row events only within one partition).
     */
    DELETE,
    /** Dead-letter the event with its reason and leave the documents; the operator deletes them. */
    DEAD_LETTER
}
