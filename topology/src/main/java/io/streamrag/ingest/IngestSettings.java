package io.streamrag.ingest;

import io.streamrag.ingest.batch.BatchingSettings;
import io.streamrag.ingest.cdc.CdcSource;
import io.streamrag.ingest.chunk.ChunkingSettings;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything the ingest topology is built from, validated here once. The application builds it from the
 * configuration catalogue ({@code AppConfig.ingest()}, without a collection until the embedder is open); it declares
 * no defaults of its own, so tests start from the production values and change what they are about.
 *
 * @param applicationId        Kafka Streams {@code application.id} of the ingest role
 * @param documentChangeTopics topics of {@code DocumentChange} Avro events keyed by document id (may be empty)
 * @param cdcSources           Debezium topics and how their columns become documents (may be empty)
 * @param indexUpdatesTopic    where one {@code IndexUpdate} per applied change goes
 * @param deadLetterTopic      where unreadable or invalid input records go, as {@code DeadLetter}
 * @param chunking             chunk size and overlap in tokens
 * @param batching             batch size cap, linger and embed slice size
 * @param maxBodyChars         longer bodies are dead-lettered instead of indexed
 * @param collection           the vector collection's name, reported in {@code IndexUpdate.collection} (may be null)
 * @param capturedDocumentsTopic compacted topic that receives the normalised state of every CDC document (the
 *                             changes the ingest takes, as {@code DocumentChange}, tombstones for deletes), so that
 *                             {@code reindex} covers CDC documents; null keeps no such copy
 * @param reuseVectors         an update keeps the stored vectors of chunks whose embedding text did not change
 */
public record IngestSettings(
        String applicationId,
        List<String> documentChangeTopics,
        List<CdcSource> cdcSources,
        String indexUpdatesTopic,
        String deadLetterTopic,
        ChunkingSettings chunking,
        BatchingSettings batching,
        int maxBodyChars,
        String collection,
        String capturedDocumentsTopic,
        boolean reuseVectors) {

    public IngestSettings {
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("ingest needs an application id");
        }
        documentChangeTopics = documentChangeTopics == null ? List.of() : List.copyOf(documentChangeTopics);
        cdcSources = cdcSources == null ? List.of() : List.copyOf(cdcSources);
        if (documentChangeTopics.isEmpty() && cdcSources.isEmpty()) {
            throw new IllegalArgumentException("ingest needs at least one document-change topic or CDC source");
        }
        if (indexUpdatesTopic == null || indexUpdatesTopic.isBlank()
                || deadLetterTopic == null || deadLetterTopic.isBlank()) {
            throw new IllegalArgumentException("ingest needs an index-updates topic and a dead-letter topic");
        }
        if (chunking == null || batching == null) {
            throw new IllegalArgumentException("ingest needs chunking and batching settings");
        }
        if (maxBodyChars <= 0) {
            throw new IllegalArgumentException("max body length must be positive, was " + maxBodyChars);
        }
        if (capturedDocumentsTopic != null && capturedDocumentsTopic.isBlank()) {
            capturedDocumentsTopic = null;
        }
        Set<String> names = new HashSet<>();
        Set<String> topics = new HashSet<>(documentChangeTopics);
        if (capturedDocumentsTopic != null && topics.contains(capturedDocumentsTopic)) {
            throw new IllegalArgumentException("the captured-documents topic " + capturedDocumentsTopic
                    + " must not be a document-change input topic");
        }
        for (CdcSource source : cdcSources) {
            if (!names.add(source.name())) {
                throw new IllegalArgumentException("two CDC sources are named " + source.name());
            }
            for (String topic : source.topics()) {
                if (!topics.add(topic)) {
                    throw new IllegalArgumentException("topic " + topic + " is read by two ingest sources");
                }
                if (topic.equals(capturedDocumentsTopic)) {
                    throw new IllegalArgumentException("CDC source " + source.name() + " reads the captured-documents"
                            + " topic " + topic + ", which the ingest writes");
                }
            }
        }
    }

    // Copies with some fields changed, for the wiring (the collection) and for tests; validation runs again.

    public IngestSettings withTopics(List<String> newDocumentChangeTopics, String newIndexUpdatesTopic,
                                     String newDeadLetterTopic) {
        return new IngestSettings(applicationId, newDocumentChangeTopics, cdcSources, newIndexUpdatesTopic,
                newDeadLetterTopic, chunking, batching, maxBodyChars, collection, capturedDocumentsTopic, reuseVectors);
    }

    public IngestSettings withCdcSources(List<CdcSource> newCdcSources) {
        return new IngestSettings(applicationId, documentChangeTopics, newCdcSources, indexUpdatesTopic,
                deadLetterTopic, chunking, batching, maxBodyChars, collection, capturedDocumentsTopic, reuseVectors);
    }

    public IngestSettings withChunking(ChunkingSettings newChunking) {
        return new IngestSettings(applicationId, documentChangeTopics, cdcSources, indexUpdatesTopic,
                deadLetterTopic, newChunking, batching, maxBodyChars, collection, capturedDocumentsTopic, reuseVectors);
    }

    public IngestSettings withBatching(BatchingSettings newBatching) {
        return new IngestSettings(applicationId, documentChangeTopics, cdcSources, indexUpdatesTopic,
                deadLetterTopic, chunking, newBatching, maxBodyChars, collection, capturedDocumentsTopic, reuseVectors);
    }

    public IngestSettings withMaxBodyChars(int newMaxBodyChars) {
        return new IngestSettings(applicationId, documentChangeTopics, cdcSources, indexUpdatesTopic,
                deadLetterTopic, chunking, batching, newMaxBodyChars, collection, capturedDocumentsTopic, reuseVectors);
    }

    public IngestSettings withCollection(String newCollection) {
        return new IngestSettings(applicationId, documentChangeTopics, cdcSources, indexUpdatesTopic,
                deadLetterTopic, chunking, batching, maxBodyChars, newCollection, capturedDocumentsTopic, reuseVectors);
    }

    /** @param newCapturedDocumentsTopic null keeps no replayable copy of CDC documents */
    public IngestSettings withCapturedDocumentsTopic(String newCapturedDocumentsTopic) {
        return new IngestSettings(applicationId, documentChangeTopics, cdcSources, indexUpdatesTopic,
                deadLetterTopic, chunking, batching, maxBodyChars, collection, newCapturedDocumentsTopic, reuseVectors);
    }

    /** The same settings, with reuse of unchanged chunks' vectors on or off. */
    public IngestSettings withReuseVectors(boolean reuse) {
        return new IngestSettings(applicationId, documentChangeTopics, cdcSources, indexUpdatesTopic,
                deadLetterTopic, chunking, batching, maxBodyChars, collection, capturedDocumentsTopic, reuse);
    }
}
