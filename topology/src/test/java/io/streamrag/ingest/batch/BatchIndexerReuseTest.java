package io.streamrag.ingest.batch;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.Operation;
import io.streamrag.inference.embed.ForwardingTextEmbedder;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.BagOfWordsEmbedder;
import io.streamrag.ingest.IngestMetrics;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.ingest.chunk.DocumentChunker;
import io.streamrag.observability.StreamragMetrics;
import io.streamrag.store.InMemoryVectorStore;
import io.streamrag.store.StoredChunk;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which chunks of an update are embedded and which keep their stored vector. */
class BatchIndexerReuseTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final List<String> TOPICS = List.of("harbour", "glacier", "orchard", "violin", "comet", "desert",
            "lantern", "meadow", "engine", "island", "library", "volcano");

    private final InMemoryVectorStore store = new InMemoryVectorStore();
    private final BagOfWordsEmbedder embedder = new BagOfWordsEmbedder(128);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private BatchIndexer indexer(TextEmbedder with, boolean reuse) {
        DocumentChunker chunker = new DocumentChunker(with.tokenizer(), with.maxTokens(), new ChunkingSettings(48, 8));
        return new BatchIndexer(chunker, with, store, 256, new IngestMetrics(meters), Clock.fixed(NOW, ZoneOffset.UTC),
                "test", reuse);
    }

    @Test
    void aMetadataOnlyUpdateEmbedsNothingAndRewritesThePayloads() {
        BatchIndexer indexer = indexer(embedder, true);
        indexer.apply(List.of(change("doc", 1, "Atlas", paragraphs(10), Map.of("status", "draft"))));
        List<StoredChunk> before = store.chunksOf("doc");
        int calls = embedder.callSizes().size();

        BatchIndexer.Applied applied = indexer.applyBatch(List.of(indexer.plan(
                change("doc", 2, "Atlas", paragraphs(10), Map.of("status", "published")))));

        assertThat(embedder.callSizes()).as("no embed call").hasSize(calls);
        assertThat(applied.chunksEmbedded()).isZero();
        assertThat(applied.chunksReused()).isEqualTo(before.size());
        List<StoredChunk> after = store.chunksOf("doc");
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < after.size(); i++) {
            assertThat(after.get(i).version()).isEqualTo(2);
            assertThat(after.get(i).metadata()).containsExactlyEntriesOf(Map.of("status", "published"));
            assertThat(after.get(i).vector()).isEqualTo(before.get(i).vector());
            assertThat(after.get(i).embeddingFingerprint()).isEqualTo(before.get(i).embeddingFingerprint());
        }
        assertThat(counter(StreamragMetrics.INGEST_CHUNKS_REUSED)).isEqualTo(before.size());
        assertThat(counter(StreamragMetrics.INGEST_CHUNKS_EMBEDDED)).isEqualTo(before.size());
    }

    @Test
    void aTitleChangeReEmbedsEveryChunk() {
        BatchIndexer indexer = indexer(embedder, true);
        indexer.apply(List.of(change("doc", 1, "Atlas", paragraphs(10), Map.of())));
        int chunks = store.chunksOf("doc").size();

        BatchIndexer.Applied applied = indexer.applyBatch(List.of(indexer.plan(
                change("doc", 2, "Atlas of the world", paragraphs(10), Map.of()))));

        assertThat(applied.chunksEmbedded()).isEqualTo(chunks);
        assertThat(applied.chunksReused()).isZero();
        assertThat(store.chunksOf("doc")).allSatisfy(chunk -> assertThat(chunk.vector())
                .isEqualTo(embedder.embed(List.of(embeddingTextOf(chunk, "Atlas of the world"))).get(0)));
    }

    @Test
    void aOneParagraphEditEmbedsOnlyTheChunksAroundIt() {
        BatchIndexer indexer = indexer(embedder, true);
        List<String> paragraphs = paragraphs(12);
        indexer.apply(List.of(change("doc", 1, "Atlas", paragraphs, Map.of())));
        int chunks = store.chunksOf("doc").size();
        assertThat(chunks).isGreaterThanOrEqualTo(12);

        List<String> edited = new ArrayList<>(paragraphs);
        edited.set(6, edited.get(6).replace("quiet", "restless"));
        BatchIndexer.Applied applied = indexer.applyBatch(List.of(indexer.plan(change("doc", 2, "Atlas", edited,
                Map.of()))));

        assertThat(applied.chunksEmbedded()).isBetween(1, 2);
        assertThat(applied.chunksReused()).isEqualTo(store.chunksOf("doc").size() - applied.chunksEmbedded());
        assertThat(store.chunksOf("doc")).extracting(StoredChunk::text).anyMatch(text -> text.contains("restless"));
    }

    @Test
    void aParagraphInsertedAtTheTopShiftsChunkIdsButKeepsTheirVectors() {
        BatchIndexer indexer = indexer(embedder, true);
        List<String> paragraphs = paragraphs(12);
        indexer.apply(List.of(change("doc", 1, "Atlas", paragraphs, Map.of())));
        List<StoredChunk> before = store.chunksOf("doc");

        List<String> inserted = new ArrayList<>(paragraphs);
        inserted.add(0, "A brand new opening paragraph about the ferry timetable and its many delays. The ferry left"
                + " late on Monday and later on Tuesday. By Friday the captain had given up on the timetable"
                + " altogether. Passengers brought books and blankets and waited.");
        BatchIndexer.Applied applied = indexer.applyBatch(List.of(indexer.plan(change("doc", 2, "Atlas", inserted,
                Map.of()))));

        List<StoredChunk> after = store.chunksOf("doc");
        assertThat(applied.chunksEmbedded()).isBetween(1, 2);
        // chunks after the insertion sit at other indexes (other chunk ids) and kept their old vectors
        Map<String, StoredChunk> old = new java.util.HashMap<>();
        before.forEach(chunk -> old.put(chunk.text(), chunk));
        List<StoredChunk> moved = after.stream().filter(chunk -> old.containsKey(chunk.text())
                && old.get(chunk.text()).chunkIndex() != chunk.chunkIndex()).toList();
        assertThat(moved).hasSizeGreaterThanOrEqualTo(before.size() - 2);
        for (StoredChunk chunk : moved) {
            assertThat(chunk.chunkId()).isNotEqualTo(old.get(chunk.text()).chunkId());
            assertThat(chunk.vector()).isEqualTo(old.get(chunk.text()).vector());
        }
    }

    @Test
    void reuseOffEmbedsEveryChunkOfEveryChange() {
        BatchIndexer indexer = indexer(embedder, false);
        indexer.apply(List.of(change("doc", 1, "Atlas", paragraphs(10), Map.of())));
        int chunks = store.chunksOf("doc").size();

        BatchIndexer.Applied applied = indexer.applyBatch(List.of(indexer.plan(
                change("doc", 2, "Atlas", paragraphs(10), Map.of("status", "published")))));

        assertThat(applied.chunksEmbedded()).isEqualTo(chunks);
        assertThat(store.embeddingReads()).as("the store is not even asked").isZero();
        assertThat(store.chunksOf("doc")).allSatisfy(chunk -> assertThat(chunk.embeddingFingerprint()).isNotNull());
    }

    @Test
    void anotherEmbedderNeverReusesTheVectorsOfThisOne() {
        indexer(embedder, true).apply(List.of(change("doc", 1, "Atlas", paragraphs(10), Map.of())));
        int chunks = store.chunksOf("doc").size();
        TextEmbedder other = new RenamedEmbedder(embedder, "another-model");

        BatchIndexer.Applied applied = indexer(other, true).applyBatch(List.of(indexer(other, true).plan(
                change("doc", 2, "Atlas", paragraphs(10), Map.of()))));

        assertThat(applied.chunksEmbedded()).isEqualTo(chunks);
        assertThat(applied.chunksReused()).isZero();
    }

    @Test
    void chunksStoredWithoutAFingerprintAreEmbeddedAgain() {
        BatchIndexer indexer = indexer(embedder, true);
        indexer.apply(List.of(change("doc", 1, "Atlas", paragraphs(6), Map.of())));
        List<StoredChunk> legacy = store.chunksOf("doc").stream().map(chunk -> new StoredChunk(chunk.chunkId(),
                chunk.documentId(), chunk.chunkIndex(), chunk.version(), chunk.title(), chunk.text(), chunk.tenant(),
                chunk.metadata(), chunk.vector())).toList();
        store.replaceDocument("doc", legacy);

        BatchIndexer.Applied applied = indexer.applyBatch(List.of(indexer.plan(
                change("doc", 2, "Atlas", paragraphs(6), Map.of()))));

        assertThat(applied.chunksReused()).isZero();
        assertThat(applied.chunksEmbedded()).isEqualTo(legacy.size());
    }

    @Test
    void aBatchReadsTheStoredVectorsOnceAndEmbedsOnce() {
        BatchIndexer indexer = indexer(embedder, true);
        indexer.apply(List.of(change("a", 1, "Atlas", paragraphs(8), Map.of()),
                change("b", 1, "Bestiary", paragraphs(8), Map.of())));
        int reads = store.embeddingReads();
        int calls = embedder.callSizes().size();
        List<String> edited = new ArrayList<>(paragraphs(8));
        edited.set(3, edited.get(3).replace("quiet", "restless"));

        indexer.applyBatch(List.of(indexer.plan(change("a", 2, "Atlas", edited, Map.of())),
                indexer.plan(change("b", 2, "Bestiary", edited, Map.of())),
                indexer.plan(change("c", 1, "Compendium", paragraphs(3), Map.of())),
                indexer.plan(delete("d", 5))));

        assertThat(store.embeddingReads()).isEqualTo(reads + 1);
        assertThat(embedder.callSizes()).hasSize(calls + 1);
    }

    @Test
    void equalTextsInOneBatchAreEmbeddedOnce() {
        BatchIndexer indexer = indexer(embedder, true);

        BatchIndexer.Applied applied = indexer.applyBatch(List.of(
                indexer.plan(change("a", 1, "Same", paragraphs(4), Map.of())),
                indexer.plan(change("b", 1, "Same", paragraphs(4), Map.of()))));

        assertThat(applied.chunksEmbedded()).isEqualTo(store.chunksOf("a").size());
        assertThat(applied.chunksReused()).isEqualTo(store.chunksOf("b").size());
        for (int i = 0; i < store.chunksOf("a").size(); i++) {
            assertThat(store.chunksOf("b").get(i).vector()).isEqualTo(store.chunksOf("a").get(i).vector());
        }
    }

    @Test
    void aShrinkingDocumentLosesItsSurplusChunksAndADeleteRemovesTheRest() {
        BatchIndexer indexer = indexer(embedder, true);
        indexer.apply(List.of(change("doc", 1, "Atlas", paragraphs(12), Map.of())));
        int chunks = store.chunksOf("doc").size();

        BatchIndexer.Applied applied = indexer.applyBatch(List.of(indexer.plan(
                change("doc", 2, "Atlas", paragraphs(12).subList(0, 4), Map.of()))));

        assertThat(store.chunksOf("doc")).hasSizeLessThan(chunks);
        assertThat(applied.chunksEmbedded()).isLessThanOrEqualTo(1);
        assertThat(store.chunksOf("doc")).extracting(StoredChunk::chunkIndex)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, store.chunksOf("doc").size())
                        .boxed().toList());

        indexer.apply(List.of(delete("doc", 3)));
        assertThat(store.chunksOf("doc")).isEmpty();
    }

    @Test
    void theFingerprintCoversTheEmbedderIdentityAndTheWholeEmbeddingText() {
        EmbeddingFingerprints one = EmbeddingFingerprints.of(embedder);
        EmbeddingFingerprints same = EmbeddingFingerprints.of(new RenamedEmbedder(embedder, embedder.modelName()));
        EmbeddingFingerprints other = EmbeddingFingerprints.of(new RenamedEmbedder(embedder, "another-model"));

        assertThat(one.of("Title. Passage")).isEqualTo(same.of("Title. Passage")).hasSize(22);
        assertThat(one.of("Title. Passage")).isNotEqualTo(other.of("Title. Passage"))
                .isNotEqualTo(one.of("Title. Passage."))
                .isNotEqualTo(one.of("Passage"));
        assertThat(new EmbeddingFingerprints("m/dim=32/max=128").of("x"))
                .isNotEqualTo(new EmbeddingFingerprints("m/dim=32/max=256").of("x"));
    }

    // ---- helpers ----

    private double counter(String name) {
        return meters.get(name).counter().count();
    }

    private String embeddingTextOf(StoredChunk chunk, String title) {
        return io.streamrag.ingest.chunk.EmbeddingText.prefix(title) + chunk.text();
    }

    /** {@code count} paragraphs of three sentences, each about its own topic. */
    static List<String> paragraphs(int count) {
        List<String> paragraphs = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            String topic = TOPICS.get(p % TOPICS.size()) + (p / TOPICS.size() == 0 ? "" : " " + p);
            paragraphs.add("The " + topic + " was quiet in the morning. Visitors came to see the " + topic
                    + " before noon. Nobody could explain why the " + topic + " mattered so much to them.");
        }
        return paragraphs;
    }

    static DocumentChange change(String id, long version, String title, List<String> paragraphs,
                                 Map<String, String> metadata) {
        return DocumentChange.newBuilder()
                .setOperation(version == 1 ? Operation.CREATE : Operation.UPDATE)
                .setDocumentId(id)
                .setVersion(version)
                .setTitle(title)
                .setBody(String.join("\n\n", paragraphs))
                .setTenant("acme")
                .setMetadata(metadata)
                .setEventTime(NOW.minusMillis(100))
                .build();
    }

    static DocumentChange delete(String id, long version) {
        return DocumentChange.newBuilder()
                .setOperation(Operation.DELETE)
                .setDocumentId(id)
                .setVersion(version)
                .setEventTime(NOW.minusMillis(100))
                .build();
    }

    /** The same vectors under another model name, as a different checkpoint of equal size would report. */
    static final class RenamedEmbedder extends ForwardingTextEmbedder {
        private final String name;

        RenamedEmbedder(TextEmbedder delegate, String name) {
            super(delegate);
            this.name = name;
        }

        @Override
        public String modelName() {
            return name;
        }

        @Override
        public void close() {
        }
    }
}
