package io.streamrag.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.Operation;
import io.streamrag.inference.embed.EmbedderOptions;
import io.streamrag.inference.embed.Embedders;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.IngestMetrics;
import io.streamrag.ingest.batch.BatchIndexer;
import io.streamrag.ingest.chunk.Chunk;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.ingest.chunk.DocumentChunker;
import io.streamrag.qa.SquadSample;
import io.streamrag.store.lucene.LuceneVectorStore;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Updates of long documents with vector reuse off (every chunk embedded again, as before reuse) and on, side by side
 * in one run, on the ingest's apply path ({@link BatchIndexer}: chunk, read the stored vectors, embed, write, Lucene
 * commit) with the bundled all-MiniLM-L6-v2. Documents: SQuAD articles of the shared subset, paragraphs joined until
 * a document has at least 20 chunks. Update kinds: one paragraph edited (one sentence reworded, a different paragraph
 * each round); metadata only; title changed; a paragraph inserted at the top. Each round applies one update of the
 * kind to every document, in batches; rounds alternate reuse off and on so both see the same machine. Not a test:
 * prints a Markdown table.
 *
 * <pre>
 * java ... io.streamrag.bench.ReuseBench [documents=8] [rounds=3] [batch=8] [chunkTokens=128] [overlapTokens=32]
 * </pre>
 */
public final class ReuseBench {

    private static final int MIN_CHUNKS = 20;

    enum Kind { PARAGRAPH_EDIT, METADATA_ONLY, TITLE_CHANGE, PARAGRAPH_INSERTED_AT_TOP }

    private ReuseBench() {
    }

    public static void main(String[] args) throws Exception {
        int documents = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        ChunkingSettings chunking = args.length > 4
                ? new ChunkingSettings(Integer.parseInt(args[3]), Integer.parseInt(args[4])) : io.streamrag.app.config.AppConfig.defaults().ingest().chunking();
        try (TextEmbedder embedder = Embedders.open("default", EmbedderOptions.defaults()
                .withMeterRegistry(new SimpleMeterRegistry()));
             LuceneVectorStore store = LuceneVectorStore.open(Files.createTempDirectory("reuse-bench"))) {
            embedder.embed(List.of("warm up the model"));
            store.ensureCollection(embedder.dimension());
            DocumentChunker chunker = new DocumentChunker(embedder.tokenizer(), embedder.maxTokens(), chunking);
            Map<Boolean, BatchIndexer> indexers = Map.of(
                    false, new BatchIndexer(chunker, embedder, store, 256, new IngestMetrics(new SimpleMeterRegistry()),
                            Clock.systemUTC(), "bench", false),
                    true, new BatchIndexer(chunker, embedder, store, 256, new IngestMetrics(new SimpleMeterRegistry()),
                            Clock.systemUTC(), "bench", true));

            List<Doc> corpus = corpus(chunker, documents);
            long version = 1;
            apply(indexers.get(true), corpus, version, batch);
            int chunks = 0;
            for (Doc doc : corpus) {
                chunks += chunker.chunk(doc.id, doc.title, doc.body()).size();
            }
            System.out.printf(Locale.ROOT, "%d documents, %.1f chunks each (chunk %d / overlap %d tokens), batches "
                    + "of %d updates, %d rounds per kind and mode, %d cores%n%n", corpus.size(),
                    chunks / (double) corpus.size(), chunking.chunkTokens(), chunking.overlapTokens(), batch, rounds,
                    Runtime.getRuntime().availableProcessors());
            System.out.println("| update | reuse | updates | chunks embedded per update (mean, max) | updates/s |"
                    + " updates/s on ÷ off |");
            System.out.println("|---|---|---:|---:|---:|---:|");
            for (Kind kind : Kind.values()) {
                Tally[] tallies = {new Tally(), new Tally()};
                for (int round = 0; round < 2 * rounds; round++) {
                    boolean reuse = round % 2 == 1;
                    List<Doc> before = corpus;
                    int r = round;
                    corpus = before.stream().map(doc -> doc.updated(kind, r)).toList();
                    version++;
                    Tally tally = tallies[reuse ? 1 : 0];
                    for (int d = 0; d < corpus.size(); d++) {
                        tally.perUpdate(reuse ? newChunks(chunker, before.get(d), corpus.get(d))
                                : chunker.chunk(corpus.get(d).id, corpus.get(d).title, corpus.get(d).body()).size());
                    }
                    long started = System.nanoTime();
                    int embedded = apply(indexers.get(reuse), corpus, version, batch);
                    tally.add(corpus.size(), embedded, System.nanoTime() - started);
                }
                double off = tallies[0].rate();
                for (int mode = 0; mode < 2; mode++) {
                    Tally t = tallies[mode];
                    System.out.printf(Locale.ROOT, "| %s | %s | %d | %.2f, %d | %.2f | %s |%n",
                            kind.name().toLowerCase(Locale.ROOT).replace('_', ' '), mode == 1 ? "on" : "off",
                            t.updates, t.embedded / (double) t.updates, t.maxPerUpdate, t.rate(),
                            mode == 1 ? String.format(Locale.ROOT, "%.1f×", t.rate() / off) : "");
                }
            }
        }
    }

    /** Applies one change per document, {@code batch} documents per batch; returns the chunks embedded. */
    private static int apply(BatchIndexer indexer, List<Doc> docs, long version, int batch) {
        int embedded = 0;
        for (int from = 0; from < docs.size(); from += batch) {
            List<BatchIndexer.PlannedChange> plans = new ArrayList<>();
            for (Doc doc : docs.subList(from, Math.min(docs.size(), from + batch))) {
                plans.add(indexer.plan(doc.change(version)));
            }
            embedded += indexer.applyBatch(plans).chunksEmbedded();
        }
        return embedded;
    }

    /** Chunks of the new version whose embedding text the old version did not have: what reuse has to embed. */
    private static int newChunks(DocumentChunker chunker, Doc before, Doc after) {
        Set<String> old = new HashSet<>();
        chunker.chunk(before.id, before.title, before.body()).forEach(chunk -> old.add(chunk.embeddingText()));
        int fresh = 0;
        for (Chunk chunk : chunker.chunk(after.id, after.title, after.body())) {
            if (!old.contains(chunk.embeddingText())) {
                fresh++;
            }
        }
        return fresh;
    }

    /** Articles of the SQuAD subset as long documents: paragraphs joined until there are at least 20 chunks. */
    private static List<Doc> corpus(DocumentChunker chunker, int documents) throws Exception {
        Map<String, List<String>> articles = new LinkedHashMap<>();
        for (SquadSample.Paragraph paragraph : SquadSample.load().paragraphs()) {
            articles.computeIfAbsent(paragraph.title(), title -> new ArrayList<>()).add(paragraph.text());
        }
        List<Doc> docs = new ArrayList<>();
        List<String> paragraphs = new ArrayList<>();
        String title = null;
        for (Map.Entry<String, List<String>> article : articles.entrySet()) {
            title = title == null ? article.getKey().replace('_', ' ') : title;
            paragraphs.addAll(article.getValue());
            Doc doc = new Doc("doc-" + docs.size(), title, List.copyOf(paragraphs), Map.of("status", "draft"));
            if (chunker.chunk(doc.id, doc.title, doc.body()).size() >= MIN_CHUNKS) {
                docs.add(doc);
                paragraphs.clear();
                title = null;
                if (docs.size() == documents) {
                    break;
                }
            }
        }
        return docs;
    }

    private record Doc(String id, String title, List<String> paragraphs, Map<String, String> metadata) {

        String body() {
            return String.join("\n\n", paragraphs);
        }

        Doc updated(Kind kind, int round) {
            List<String> edited = new ArrayList<>(paragraphs);
            return switch (kind) {
                case PARAGRAPH_EDIT -> {
                    int p = (paragraphs.size() / 3 + 7 * round) % paragraphs.size();
                    edited.set(p, reword(edited.get(p), round));
                    yield new Doc(id, title, edited, metadata);
                }
                case METADATA_ONLY -> new Doc(id, title, paragraphs, Map.of("status", "s" + round,
                        "updated_at", Instant.now().toString()));
                case TITLE_CHANGE -> new Doc(id, title.replaceAll(" \\(rev \\d+\\)$", "") + " (rev " + round + ")",
                        paragraphs, metadata);
                case PARAGRAPH_INSERTED_AT_TOP -> {
                    edited.add(0, "Editor's note " + round + ": this article was revised and its sources were "
                            + "checked again. Corrections are listed at the end of the article.");
                    yield new Doc(id, title, edited, metadata);
                }
            };
        }

        DocumentChange change(long version) {
            return DocumentChange.newBuilder().setOperation(Operation.UPDATE).setDocumentId(id).setVersion(version)
                    .setTitle(title).setBody(body()).setTenant(null).setMetadata(metadata)
                    .setEventTime(Instant.now()).build();
        }
    }

    /** The paragraph's first sentence gets a clause appended: a local edit of one sentence. */
    private static String reword(String paragraph, int round) {
        int end = paragraph.indexOf(". ");
        return end < 0 ? paragraph + " (revised " + round + ")"
                : paragraph.substring(0, end) + ", as revised in round " + round + paragraph.substring(end);
    }

    private static final class Tally {
        int updates;
        long embedded;
        long nanos;
        int maxPerUpdate;

        void add(int updates, int embedded, long nanos) {
            this.updates += updates;
            this.embedded += embedded;
            this.nanos += nanos;
        }

        void perUpdate(int embedded) {
            maxPerUpdate = Math.max(maxPerUpdate, embedded);
        }

        double rate() {
            return updates / (nanos / 1e9);
        }
    }
}
