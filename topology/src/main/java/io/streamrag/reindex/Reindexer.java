package io.streamrag.reindex;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.contracts.Operation;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.ChangeValidator;
import io.streamrag.ingest.IngestMetrics;
import io.streamrag.ingest.RejectedRecordException;
import io.streamrag.ingest.VersionGate;
import io.streamrag.ingest.batch.BatchIndexer;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.ingest.chunk.DocumentChunker;
import io.streamrag.store.VectorStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a vector store from the compacted documents topics with a (new) embedder: the documents topic and the
 * captured-documents topic, where the ingest writes the state of every CDC document it takes. Reads every partition
 * of each from the
 * beginning up to the end offsets captured at start (read_committed, so aborted transactions never count), keeps the
 * newest version of every document by the same rule as the ingest ({@link VersionGate}: a higher version wins, a
 * tombstone deletes the current state), and indexes the live documents in batches through the ingest's
 * {@link BatchIndexer}, so chunk ids and payloads are exactly what the ingest would write.
 *
 * <p>The newest state of every document is held in memory until the end offsets are reached (a compacted topic holds
 * about one record per document); bodies of a very large corpus need a correspondingly large heap.
 */
public final class Reindexer {

    private static final Logger LOG = LoggerFactory.getLogger(Reindexer.class);
    /** Chunk texts per embed call, as the ingest role. */
    private static final int MAX_EMBED_TEXTS = 256;
    private static final Duration POLL = Duration.ofMillis(500);

    private final Map<String, Object> consumerConfig;
    private final Deserializer<DocumentChange> changes;
    private final List<String> topics;
    private final BatchIndexer indexer;
    private final ChangeValidator validator;
    private final int batchSize;

    /**
     * @param consumerConfig bootstrap servers and client settings (security); group, offsets and isolation are set here
     * @param changes        the registry serde's deserializer for {@link DocumentChange} values, configured
     * @param embedder       the new model
     * @param store          writes into the new model's collection, which must exist
     * @param collection     its name, reported in the index updates
     */
    public Reindexer(Map<String, Object> consumerConfig, Deserializer<DocumentChange> changes, String topic,
                     TextEmbedder embedder, VectorStore store, String collection, ChunkingSettings chunking,
                     int maxBodyChars, int batchSize) {
        this(consumerConfig, changes, List.of(topic), embedder, store, collection, chunking, maxBodyChars, batchSize);
    }

    /**
     * @param topics the compacted topics of {@code DocumentChange}s keyed by document id; the first must exist, a
     *               later one that does not exist yet (no CDC source ever ran) holds nothing
     */
    public Reindexer(Map<String, Object> consumerConfig, Deserializer<DocumentChange> changes, List<String> topics,
                     TextEmbedder embedder, VectorStore store, String collection, ChunkingSettings chunking,
                     int maxBodyChars, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, was " + batchSize);
        }
        this.consumerConfig = Map.copyOf(consumerConfig);
        this.changes = changes;
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("reindex needs at least one topic");
        }
        this.topics = List.copyOf(topics);
        this.indexer = new BatchIndexer(new DocumentChunker(embedder.tokenizer(), embedder.maxTokens(), chunking),
                embedder, store, MAX_EMBED_TEXTS, new IngestMetrics(new SimpleMeterRegistry()), Clock.systemUTC(),
                collection);
        this.validator = new ChangeValidator(maxBodyChars);
        this.batchSize = batchSize;
    }

    /** Reads the snapshot and indexes it; {@code progress} hears the totals after every batch written. */
    public ReindexResult run(Consumer<ReindexResult> progress) {
        Snapshot snapshot = readSnapshot();
        List<DocumentChange> live = snapshot.latest.values().stream()
                .filter(change -> change.getOperation() != Operation.DELETE).toList();
        int deleted = snapshot.latest.size() - live.size();
        long skipped = snapshot.skipped;
        int documents = 0;
        long chunks = 0;
        for (int from = 0; from < live.size(); from += batchSize) {
            List<DocumentChange> batch = live.subList(from, Math.min(live.size(), from + batchSize));
            for (IndexUpdate update : indexer.apply(batch)) {
                chunks += update.getChunkCount();
            }
            documents += batch.size();
            progress.accept(new ReindexResult(snapshot.records, documents, chunks, deleted, skipped,
                    snapshot.endOffsets));
        }
        return new ReindexResult(snapshot.records, documents, chunks, deleted, skipped, snapshot.endOffsets);
    }

    private Snapshot readSnapshot() {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned partitions, no group: nothing is committed
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic);
                if (infos == null || infos.isEmpty()) {
                    if (topic.equals(topics.get(0))) {
                        throw new IllegalStateException("documents topic " + topic + " does not exist");
                    }
                    LOG.info("Topic {} does not exist: no CDC document to read", topic);
                    continue;
                }
                infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // with read_committed these are the last stable offsets: what is committed when the reindex starts
            Map<TopicPartition, Long> endOffsets = new LinkedHashMap<>(consumer.endOffsets(partitions));
            Snapshot snapshot = new Snapshot(endOffsets);
            while (!caughtUp(consumer, endOffsets)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    Long end = endOffsets.get(new TopicPartition(record.topic(), record.partition()));
                    if (record.offset() < end) {
                        snapshot.add(record);
                    }
                }
            }
            LOG.info("Read {} records of {} up to {}: {} documents", snapshot.records, topics, endOffsets,
                    snapshot.latest.size());
            return snapshot;
        }
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> endOffsets) {
        for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The newest state of every document seen so far, folded by the ingest's version rule. */
    private final class Snapshot {
        final Map<TopicPartition, Long> endOffsets;
        final Map<String, DocumentChange> latest = new LinkedHashMap<>();
        long records;
        /** Undecodable or rejected records, and changes stale on arrival (not newer than the known version). */
        long skipped;

        Snapshot(Map<TopicPartition, Long> endOffsets) {
            this.endOffsets = endOffsets;
        }

        void add(ConsumerRecord<String, byte[]> record) {
            records++;
            DocumentChange change = null;
            String documentId = record.key();
            if (record.value() != null) {
                try {
                    change = changes.deserialize(record.topic(), record.headers(), record.value());
                    validator.check(change);
                } catch (SerializationException | RejectedRecordException e) {
                    // what the ingest dead-letters; an unreachable registry is not the record's fault and propagates
                    skip(record, e);
                    return;
                }
                documentId = change.getDocumentId();
            } else if (documentId == null) {
                skip(record, new IllegalArgumentException("tombstone without a key"));
                return;
            }
            VersionGate.Verdict verdict = VersionGate.admit(documentId, change, record.timestamp(),
                    latest.get(documentId), null);
            if (verdict.admitted() != null) {
                latest.put(documentId, verdict.admitted());
            } else if (verdict.stale()) {
                skipped++;
            }
        }

        private void skip(ConsumerRecord<String, byte[]> record, Exception cause) {
            skipped++;
            LOG.warn("Skipping record {}-{}@{} (key {}): {}", record.topic(), record.partition(), record.offset(),
                    record.key(), cause.toString());
        }
    }
}
