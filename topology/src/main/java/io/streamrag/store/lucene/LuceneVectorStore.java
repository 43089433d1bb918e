package io.streamrag.store.lucene;

import io.streamrag.store.KeywordText;
import io.streamrag.store.SearchHit;
import io.streamrag.store.SearchRequest;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.StoredEmbedding;
import io.streamrag.store.VectorStore;
import io.streamrag.store.VectorStoreException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * The embedded vector store: a Lucene index in a local directory, searched with HNSW (cosine). Needs no service.
 *
 * <p>Writes go straight to the {@link IndexWriter}. Visibility and durability are apart: reads see every write that
 * returned before them through the near-real-time searcher (a read reopens it when a write happened since the last
 * reopen, instead of reopening after every write), so a batch is searchable as soon as it is written; {@link #flush()}
 * commits (fsync) for durability, which the ingest topology does once per Kafka commit, before it (its
 * {@code StoreCommitHook}): a crash replays at most the batches since, which the idempotent writes absorb.
 *
 * <p>Segments: tiered merges while writes come; once writes rest ({@link LuceneOptions#restMergeAfter()}) the
 * {@link RestMerger} merges the index down to one or two segments, because an HNSW query walks one graph per
 * segment. Closing never waits for a merge: it commits, then abandons merges in progress.
 *
 * <p>The graph compares unit vectors by dot product (their cosine) rather than Lucene's COSINE, which costs three
 * multiply-adds per dimension instead of one; an index built with COSINE keeps it.
 *
 * <p>Thread-safe: any number of threads may search while one writes.
 */
public final class LuceneVectorStore implements VectorStore {

    /** The most dimensions Lucene's default HNSW format accepts. */
    static final int MAX_DIMENSION = 1024;
    /**
     * How many candidates the HNSW search keeps (its beam, "ef") at least. Lucene's beam is the query's k, so asking
     * for the top 5 alone walks the graph with a beam of 5 and misses neighbours; Qdrant searches with ef 128.
     */
    public static final int DEFAULT_SEARCH_CANDIDATES = 100;

    private final Path path;
    private final int searchCandidates;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final VectorSimilarityFunction similarity;
    private final RestMerger restMerger;
    private final AtomicLong writeGeneration = new AtomicLong();
    private final AtomicLong searchableGeneration = new AtomicLong();
    private volatile int dimension;

    private LuceneVectorStore(Path path, LuceneOptions options, Directory directory, IndexWriter writer,
                              SearcherManager searchers) {
        this.path = path;
        this.searchCandidates = options.searchCandidates();
        this.directory = directory;
        this.writer = writer;
        this.searchers = searchers;
        this.similarity = indexedSimilarity();
        this.restMerger = options.restMergeAfter().isZero() ? null
                : new RestMerger(writer, options.restMergeAfter(), path.getFileName().toString(),
                        this::refreshAfterMerge, this::segmentCount);
    }

    /** Opens the index in {@code path}, creating the directory and an empty index when there is none. */
    public static LuceneVectorStore open(Path path) {
        return open(path, DEFAULT_SEARCH_CANDIDATES);
    }

    /**
     * Opens the index in {@code path}; searches keep at least {@code searchCandidates} candidates (more: better
     * recall, slower queries).
     */
    public static LuceneVectorStore open(Path path, int searchCandidates) {
        return open(path, new LuceneOptions(searchCandidates, LuceneOptions.VectorFormat.FLOAT32, Duration.ZERO));
    }

    /** Opens the index in {@code path} with {@code options}. */
    public static LuceneVectorStore open(Path path, LuceneOptions options) {
        Directory directory = null;
        IndexWriter writer = null;
        try {
            directory = FSDirectory.open(path);
            IndexWriterConfig config = new IndexWriterConfig(KeywordText.analyzer())
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setCodec(LuceneCodecs.forVectors(options.vectorFormat()))
                    .setMergePolicy(LuceneCodecs.mergePolicy())
                    // NRT refreshes and commits flush what is buffered; a bigger buffer only delays that
                    .setRAMBufferSizeMB(64);
            writer = new IndexWriter(directory, config);
            // Commit at once so a fresh directory is a valid (empty) index that a reopen finds.
            writer.commit();
            SearcherManager searchers = new SearcherManager(writer, null);
            return new LuceneVectorStore(path, options, directory, writer, searchers);
        } catch (IOException e) {
            closeQuietly(writer, e);
            closeQuietly(directory, e);
            throw new VectorStoreException("Cannot open the Lucene index in " + path, e);
        }
    }

    /** Segments in the searchable index (for benchmarks and tests of the merge policy). */
    public int segmentCount() {
        return withSearcher(searcher -> searcher.getIndexReader().leaves().size());
    }

    /** Merges at rest completed since the store opened (0 when they are off). */
    public long restMerges() {
        return restMerger == null ? 0 : restMerger.merges();
    }

    @Override
    public void ensureCollection(int dimension) {
        if (dimension <= 0 || dimension > MAX_DIMENSION) {
            throw new IllegalArgumentException(
                    "Vector dimension must be in 1.." + MAX_DIMENSION + " for the Lucene store, was " + dimension);
        }
        int existing = indexedDimension();
        if (existing != 0 && existing != dimension) {
            throw new VectorStoreException("The Lucene index in " + path + " holds vectors of dimension " + existing
                    + " but the embedding model produces " + dimension
                    + ": reindex into a new directory or point the store at the matching one");
        }
        this.dimension = dimension;
    }

    @Override
    public void replaceDocument(String documentId, List<StoredChunk> chunks) {
        for (StoredChunk chunk : chunks) {
            checkChunk(documentId, chunk);
        }
        try {
            for (StoredChunk chunk : chunks) {
                writer.updateDocument(new Term(ChunkDocuments.CHUNK_ID, chunk.chunkId()),
                        ChunkDocuments.toDocument(chunk, similarity));
            }
            writer.deleteDocuments(surplusChunks(documentId, chunks.size()));
        } catch (IOException | RuntimeException e) {
            throw new VectorStoreException("Lucene index " + path + ": writing document " + documentId + " ("
                    + chunks.size() + " chunks) failed", e);
        }
        written();
    }

    @Override
    public void deleteDocument(String documentId) {
        try {
            writer.deleteDocuments(new Term(ChunkDocuments.DOCUMENT_ID, documentId));
        } catch (IOException | RuntimeException e) {
            throw new VectorStoreException("Lucene index " + path + ": deleting document " + documentId + " failed", e);
        }
        written();
    }

    /**
     * Commits what was written since the last commit (nothing to do when nothing was). Searches do not wait for it:
     * they see every write through the near-real-time reader; the commit is for durability, made once per Kafka
     * commit, before Kafka commits the offsets of the batches it covers.
     */
    @Override
    public void flush() {
        try {
            if (writer.hasUncommittedChanges()) {
                writer.commit();
            }
        } catch (IOException e) {
            throw new VectorStoreException("Lucene index " + path + ": commit failed", e);
        }
    }

    @Override
    public List<List<SearchHit>> search(List<SearchRequest> requests) {
        return withSearcher(searcher -> {
            List<List<SearchHit>> results = new ArrayList<>(requests.size());
            for (SearchRequest request : requests) {
                results.add(search(searcher, request));
            }
            return results;
        });
    }

    @Override
    public List<StoredChunk> chunksOf(String documentId) {
        return withSearcher(searcher -> {
            TermQuery query = new TermQuery(new Term(ChunkDocuments.DOCUMENT_ID, documentId));
            int matching = searcher.count(query);
            if (matching == 0) {
                return List.of();
            }
            TopDocs top = searcher.search(query, matching);
            StoredFields fields = searcher.storedFields();
            List<StoredChunk> chunks = new ArrayList<>(top.scoreDocs.length);
            for (ScoreDoc hit : top.scoreDocs) {
                chunks.add(ChunkDocuments.fromDocument(fields.document(hit.doc), true));
            }
            chunks.sort(Comparator.comparingInt(StoredChunk::chunkIndex));
            return chunks;
        });
    }

    /** One query for all the documents; reads only the three stored fields reuse needs. */
    @Override
    public List<StoredEmbedding> embeddingsOf(Collection<String> documentIds) {
        if (documentIds.isEmpty()) {
            return List.of();
        }
        return withSearcher(searcher -> {
            Query query = new TermInSetQuery(ChunkDocuments.DOCUMENT_ID,
                    documentIds.stream().map(BytesRef::new).toList());
            int matching = searcher.count(query);
            if (matching == 0) {
                return List.of();
            }
            TopDocs top = searcher.search(query, matching);
            StoredFields fields = searcher.storedFields();
            Set<String> wanted = Set.of(ChunkDocuments.DOCUMENT_ID, ChunkDocuments.EMBEDDING_FINGERPRINT,
                    ChunkDocuments.VECTOR_BYTES);
            List<StoredEmbedding> embeddings = new ArrayList<>(top.scoreDocs.length);
            for (ScoreDoc hit : top.scoreDocs) {
                org.apache.lucene.document.Document doc = fields.document(hit.doc, wanted);
                String fingerprint = doc.get(ChunkDocuments.EMBEDDING_FINGERPRINT);
                if (fingerprint != null) {
                    embeddings.add(new StoredEmbedding(doc.get(ChunkDocuments.DOCUMENT_ID), fingerprint,
                            ChunkDocuments.decode(doc.getBinaryValue(ChunkDocuments.VECTOR_BYTES))));
                }
            }
            return embeddings;
        });
    }

    @Override
    public long count() {
        return withSearcher(searcher -> (long) searcher.getIndexReader().numDocs());
    }

    @Override
    public boolean isReachable() {
        return writer.isOpen();
    }

    /**
     * Commits what was written, then closes without waiting for merges in progress (IndexWriter's own close waits
     * for them: minutes for a big merge at rest); an abandoned merge runs again later, nothing written is lost.
     */
    @Override
    public void close() {
        VectorStoreException failure = null;
        AutoCloseable restMerges = restMerger == null ? () -> { } : restMerger;
        AutoCloseable commitThenAbandonMerges = () -> {
            if (!writer.isOpen()) {
                return; // closed before
            }
            try {
                writer.commit();
            } finally {
                writer.rollback();
            }
        };
        for (AutoCloseable part : new AutoCloseable[] {restMerges, searchers, commitThenAbandonMerges, directory}) {
            try {
                part.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new VectorStoreException("Lucene index " + path + ": close failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void written() {
        writeGeneration.incrementAndGet();
        if (restMerger != null) {
            restMerger.written();
        }
    }

    /** After a merge at rest: searches move to the merged segments, and the old ones can be deleted. */
    private void refreshAfterMerge() {
        try {
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new VectorStoreException("Lucene index " + path + ": refreshing after a merge failed", e);
        }
    }

    private List<SearchHit> search(IndexSearcher searcher, SearchRequest request) throws IOException {
        checkVector(request.vector(), "query");
        return new LuceneRetrieval(searcher, searchCandidates, similarity).search(request);
    }

    /**
     * Lucene scores COSINE as (1 + cos) / 2 to keep scores positive, and DOT_PRODUCT of unit vectors (which is their
     * cosine) the same way; callers (and Qdrant) speak plain cosine.
     */
    static double cosineOf(float luceneScore) {
        return 2.0 * luceneScore - 1.0;
    }

    private static Query surplusChunks(String documentId, int keep) {
        return new BooleanQuery.Builder()
                .add(new TermQuery(new Term(ChunkDocuments.DOCUMENT_ID, documentId)), BooleanClause.Occur.FILTER)
                .add(IntPoint.newRangeQuery(ChunkDocuments.CHUNK_INDEX, keep, Integer.MAX_VALUE),
                        BooleanClause.Occur.FILTER)
                .build();
    }

    private void checkChunk(String documentId, StoredChunk chunk) {
        if (!documentId.equals(chunk.documentId())) {
            throw new IllegalArgumentException("Chunk " + chunk.chunkId() + " belongs to document "
                    + chunk.documentId() + ", not to " + documentId);
        }
        if (chunk.chunkId() == null) {
            throw new IllegalArgumentException("Chunk " + chunk.chunkIndex() + " of document " + documentId
                    + " has no id");
        }
        checkVector(chunk.vector(), "chunk " + chunk.chunkId() + " of document " + documentId);
    }

    private void checkVector(float[] vector, String what) {
        if (vector == null) {
            throw new IllegalArgumentException("The " + what + " has no vector");
        }
        int expected = dimension;
        if (expected != 0 && vector.length != expected) {
            throw new IllegalArgumentException("The " + what + " has a vector of dimension " + vector.length
                    + ", the store holds dimension " + expected);
        }
    }

    /** The graph similarity its vectors were indexed with; {@link ChunkDocuments#SIMILARITY} for a new index. */
    private VectorSimilarityFunction indexedSimilarity() {
        return withSearcher(searcher -> {
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                FieldInfo info = leaf.reader().getFieldInfos().fieldInfo(ChunkDocuments.VECTOR);
                if (info != null && info.getVectorDimension() > 0) {
                    return info.getVectorSimilarityFunction();
                }
            }
            return ChunkDocuments.SIMILARITY;
        });
    }

    private int indexedDimension() {
        return withSearcher(searcher -> {
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                FieldInfo info = leaf.reader().getFieldInfos().fieldInfo(ChunkDocuments.VECTOR);
                if (info != null && info.getVectorDimension() > 0) {
                    return info.getVectorDimension();
                }
            }
            return 0;
        });
    }

    private <T> T withSearcher(SearcherWork<T> work) {
        IndexSearcher searcher;
        try {
            refreshIfStale();
            searcher = searchers.acquire();
        } catch (IOException e) {
            throw new VectorStoreException("Lucene index " + path + ": opening a searcher failed", e);
        }
        try {
            return work.run(searcher);
        } catch (IOException e) {
            throw new VectorStoreException("Lucene index " + path + ": search failed", e);
        } finally {
            try {
                searchers.release(searcher);
            } catch (IOException e) {
                throw new VectorStoreException("Lucene index " + path + ": releasing a searcher failed", e);
            }
        }
    }

    /**
     * Reopens the searcher when a write returned since the last reopen. The generation read before the reopen is
     * covered by it, so a reader never misses a write that finished before the read began.
     */
    private void refreshIfStale() throws IOException {
        long written = writeGeneration.get();
        if (searchableGeneration.get() >= written) {
            return;
        }
        searchers.maybeRefreshBlocking();
        searchableGeneration.accumulateAndGet(written, Math::max);
    }

    private static void closeQuietly(AutoCloseable closeable, Exception primary) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception suppressed) {
            primary.addSuppressed(suppressed);
        }
    }

    @FunctionalInterface
    private interface SearcherWork<T> {
        T run(IndexSearcher searcher) throws IOException;
    }
}
