package io.streamrag.ingest.cdc;

/** How a CDC topic's keys and values were written by Kafka Connect. */
public enum CdcFormat {
    /** {@code JsonConverter}, with or without {@code schemas.enable} ({@code {"schema":..,"payload":..}} or bare). */
    JSON,
    /** An Avro converter writing the Confluent Schema Registry wire format. */
    AVRO
}
