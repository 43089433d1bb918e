package io.streamrag.ingest;

import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;

/**
 * The configured (registry-aware) serdes the ingest topology needs. Input records are read as bytes and decoded by
 * the topology's own processors, so a record that cannot be decoded is dead-lettered with its bytes instead of
 * stopping the stream.
 *
 * @param documentChanges value serde of the document-change topics; also serializes the pending-changes store
 * @param indexUpdates    value serde of the index-updates topic; also serializes the applied-versions store
 * @param deadLetters     value serde of the dead-letter topic
 * @param avroRecords     generic Avro deserializer (registry wire format) for Avro CDC keys and values; may be null
 *                        when no CDC source uses Avro
 */
public record IngestSerdes(
        Serde<DocumentChange> documentChanges,
        Serde<IndexUpdate> indexUpdates,
        Serde<DeadLetter> deadLetters,
        Deserializer<?> avroRecords) {

    public IngestSerdes {
        if (documentChanges == null || indexUpdates == null || deadLetters == null) {
            throw new IllegalArgumentException("ingest needs DocumentChange, IndexUpdate and DeadLetter serdes");
        }
    }
}
