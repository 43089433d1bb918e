package io.streamrag.ingest.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.Operation;
import io.streamrag.ingest.BagOfWordsEmbedder;
import io.streamrag.ingest.IngestMetrics;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.ingest.chunk.DocumentChunker;
import io.streamrag.store.InMemoryVectorStore;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.VectorStore;
import io.streamrag.store.lucene.LuceneVectorStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * After any sequence of updates applied with vector reuse (edits, insertions and removals of paragraphs, metadata,
 * tenant and title changes, deletes and re-creations, batches that fail half-written and are applied again), the index
 * equals one built from scratch from the final documents: the same chunk ids and payloads, vectors within 1e-6 cosine.
 */
class IncrementalIndexProperties {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final List<String> DOCUMENTS = List.of("doc-a", "doc-b", "doc-c");
    private static final BagOfWordsEmbedder EMBEDDER = new BagOfWordsEmbedder(128);
    private static final DocumentChunker CHUNKER = new DocumentChunker(EMBEDDER.tokenizer(), EMBEDDER.maxTokens(),
            new ChunkingSettings(48, 8));

    @Property(tries = 30)
    void inMemoryIndexEqualsOneBuiltFromTheFinalDocuments(@ForAll("histories") List<List<Edit>> history) {
        checkHistory(history, InMemoryVectorStore::new);
    }

    @Property(tries = 4)
    void luceneIndexEqualsOneBuiltFromTheFinalDocuments(@ForAll("histories") List<List<Edit>> history) {
        checkHistory(history, IncrementalIndexProperties::lucene);
    }

    private static void checkHistory(List<List<Edit>> history, Supplier<VectorStore> stores) {
        Map<String, Document> documents = new TreeMap<>();
        Map<String, Long> versions = new HashMap<>();
        try (VectorStore incremental = stores.get(); VectorStore scratch = stores.get()) {
            incremental.ensureCollection(BagOfWordsEmbedder.DIMENSION);
            scratch.ensureCollection(BagOfWordsEmbedder.DIMENSION);
            BatchIndexer reusing = indexer(incremental, true);
            long version = 0;
            for (List<Edit> batch : history) {
                List<DocumentChange> changes = new ArrayList<>();
                Map<String, DocumentChange> byDocument = new HashMap<>();
                for (Edit edit : batch) {
                    Document before = documents.get(edit.document());
                    Document after = edit.applyTo(before);
                    version++;
                    versions.put(edit.document(), version);
                    if (after == null) {
                        documents.remove(edit.document());
                    } else {
                        documents.put(edit.document(), after);
                    }
                    // one change per document in a batch, the newest, as the pending buffer coalesces them
                    byDocument.put(edit.document(), after == null ? delete(edit.document(), version)
                            : after.change(edit.document(), version));
                }
                changes.addAll(byDocument.values());
                changes.sort(Comparator.comparing(DocumentChange::getDocumentId));
                if (batch.get(0).crashFirst() && incremental instanceof InMemoryVectorStore memory) {
                    // the first attempt dies after writing part of the batch; the replay reuses what it wrote
                    memory.failOnceAtWrite(changes.size() / 2);
                    try {
                        reusing.apply(changes);
                    } catch (BatchFailedException expected) {
                        // applied again below, as the restarted stream thread would
                    }
                }
                reusing.apply(changes);
            }
            List<DocumentChange> finals = new ArrayList<>();
            for (Map.Entry<String, Document> entry : documents.entrySet()) {
                finals.add(entry.getValue().change(entry.getKey(), versions.get(entry.getKey())));
            }
            if (!finals.isEmpty()) {
                indexer(scratch, false).apply(finals);
            }
            assertSameIndex(incremental, scratch, documents.keySet());
        }
    }

    private static void assertSameIndex(VectorStore incremental, VectorStore scratch, java.util.Set<String> live) {
        for (String documentId : DOCUMENTS) {
            List<StoredChunk> actual = incremental.chunksOf(documentId);
            List<StoredChunk> expected = scratch.chunksOf(documentId);
            assertThat(actual).as("chunks of %s", documentId).hasSameSizeAs(expected);
            if (!live.contains(documentId)) {
                assertThat(actual).isEmpty();
            }
            for (int i = 0; i < actual.size(); i++) {
                StoredChunk a = actual.get(i);
                StoredChunk e = expected.get(i);
                assertThat(a.chunkId()).isEqualTo(e.chunkId());
                assertThat(a.chunkIndex()).isEqualTo(e.chunkIndex());
                assertThat(a.version()).isEqualTo(e.version());
                assertThat(a.title()).isEqualTo(e.title());
                assertThat(a.text()).isEqualTo(e.text());
                assertThat(a.tenant()).isEqualTo(e.tenant());
                assertThat(a.metadata()).isEqualTo(e.metadata());
                assertThat(a.embeddingFingerprint()).isEqualTo(e.embeddingFingerprint());
                assertThat(InMemoryVectorStore.cosine(a.vector(), e.vector()))
                        .as("cosine of chunk %d of %s", i, documentId).isGreaterThanOrEqualTo(1 - 1e-6);
            }
        }
        assertThat(incremental.count()).isEqualTo(scratch.count());
    }

    private static BatchIndexer indexer(VectorStore store, boolean reuse) {
        return new BatchIndexer(CHUNKER, EMBEDDER, store, 7, new IngestMetrics(new SimpleMeterRegistry()),
                Clock.fixed(NOW, ZoneOffset.UTC), "property", reuse);
    }

    private static VectorStore lucene() {
        try {
            Path dir = Files.createTempDirectory("reuse-property");
            dir.toFile().deleteOnExit();
            return LuceneVectorStore.open(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DocumentChange delete(String id, long version) {
        return DocumentChange.newBuilder().setOperation(Operation.DELETE).setDocumentId(id).setVersion(version)
                .setEventTime(NOW).build();
    }

    // ---- the generated histories ----

    @Provide
    Arbitrary<List<List<Edit>>> histories() {
        Arbitrary<Edit> edit = Combinators.combine(
                Arbitraries.of(DOCUMENTS),
                Arbitraries.of(Kind.values()),
                Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(0, 5),
                Arbitraries.of(false, false, false, true)).as(Edit::new);
        return edit.list().ofMinSize(1).ofMaxSize(3).list().ofMinSize(1).ofMaxSize(10);
    }

    enum Kind { CREATE, EDIT_PARAGRAPH, INSERT_PARAGRAPH, REMOVE_PARAGRAPH, METADATA, TENANT, TITLE, DELETE }

    /** One change to one document; {@code at} picks the paragraph, {@code variant} the new words. */
    record Edit(String document, Kind kind, int at, int variant, boolean crashFirst) {

        Document applyTo(Document before) {
            if (kind == Kind.DELETE) {
                return null;
            }
            Document doc = before == null || kind == Kind.CREATE ? Document.fresh(at, variant) : before;
            List<String> paragraphs = new ArrayList<>(doc.paragraphs());
            int p = paragraphs.isEmpty() ? 0 : at % paragraphs.size();
            return switch (kind) {
                case CREATE, DELETE -> doc;
                case EDIT_PARAGRAPH -> {
                    paragraphs.set(p, paragraphs.get(p).replaceFirst("quiet|restless|calm",
                            List.of("restless", "calm", "quiet").get(variant % 3)) + " Note " + variant + ".");
                    yield doc.with(paragraphs);
                }
                case INSERT_PARAGRAPH -> {
                    paragraphs.add(p, paragraph("inserted " + at, variant));
                    yield doc.with(paragraphs);
                }
                case REMOVE_PARAGRAPH -> {
                    if (paragraphs.size() > 1) {
                        paragraphs.remove(p);
                    }
                    yield doc.with(paragraphs);
                }
                case METADATA -> new Document(doc.title(), doc.paragraphs(), doc.tenant(),
                        Map.of("status", "s" + variant, "rev", String.valueOf(at)));
                case TENANT -> new Document(doc.title(), doc.paragraphs(), variant % 2 == 0 ? null : "t" + variant,
                        doc.metadata());
                case TITLE -> new Document(variant == 0 ? null : "Title " + variant, doc.paragraphs(), doc.tenant(),
                        doc.metadata());
            };
        }
    }

    record Document(String title, List<String> paragraphs, String tenant, Map<String, String> metadata) {

        static Document fresh(int size, int variant) {
            List<String> paragraphs = new ArrayList<>();
            for (int p = 0; p < 3 + size % 10; p++) {
                paragraphs.add(paragraph("topic " + p, variant + p));
            }
            return new Document("Title " + variant, paragraphs, "acme", Map.of());
        }

        Document with(List<String> newParagraphs) {
            return new Document(title, newParagraphs, tenant, metadata);
        }

        DocumentChange change(String id, long version) {
            return DocumentChange.newBuilder()
                    .setOperation(Operation.UPDATE)
                    .setDocumentId(id)
                    .setVersion(version)
                    .setTitle(title)
                    .setBody(String.join("\n\n", paragraphs))
                    .setTenant(tenant)
                    .setMetadata(metadata)
                    .setEventTime(NOW)
                    .build();
        }
    }

    private static String paragraph(String topic, int variant) {
        String[] words = {"harbour", "glacier", "orchard", "violin", "comet", "desert", "lantern", "meadow"};
        String word = words[Math.floorMod(variant, words.length)];
        return "The " + topic + " near the " + word + " was quiet. Visitors walked to the " + word + " at dawn. "
                + "Nobody could say why the " + topic + " mattered.";
    }
}
