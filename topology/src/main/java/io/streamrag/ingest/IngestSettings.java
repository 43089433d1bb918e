package io.streamrag.ingest;

import io.streamrag.ingest.batch.BatchingSettings;
import io.streamrag.ingest.cdc.CdcSource;
import io.streamrag.ingest.chunk.ChunkingSettings;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything the ingest topology is built from, validated here once.
 *
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

    public static final int DEFAULT_MAX_BODY_CHARS = 1_000_000;

    public IngestSettings {
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

    /** Settings that reuse the vectors of unchanged chunks. */
    public IngestSettings(List<String> documentChangeTopics, List<CdcSource> cdcSources, String indexUpdatesTopic,
                          String deadLetterTopic, ChunkingSettings chunking, BatchingSettings batching,
                          int maxBodyChars, String collection, String capturedDocumentsTopic) {
        this(documentChangeTopics, cdcSources, indexUpdatesTopic, deadLetterTopic, chunking, batching, maxBodyChars,
                collection, capturedDocumentsTopic, true);
    }

    /** The same settings, with reuse of unchanged chunks' vectors on or off. */
    public IngestSettings withReuseVectors(boolean reuse) {
        return new IngestSettings(documentChangeTopics, cdcSources, indexUpdatesTopic, deadLetterTopic, chunking,
                batching, maxBodyChars, collection, capturedDocumentsTopic, reuse);
    }

    /** Settings that keep no replayable copy of CDC documents. */
    public IngestSettings(List<String> documentChangeTopics, List<CdcSource> cdcSources, String indexUpdatesTopic,
                          String deadLetterTopic, ChunkingSettings chunking, BatchingSettings batching,
                          int maxBodyChars, String collection) {
        this(documentChangeTopics, cdcSources, indexUpdatesTopic, deadLetterTopic, chunking, batching, maxBodyChars,
                collection, null);
    }
}
