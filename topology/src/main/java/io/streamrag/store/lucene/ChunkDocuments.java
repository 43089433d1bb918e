package io.streamrag.store.lucene;

import io.streamrag.store.KeywordText;
import io.streamrag.store.StoredChunk;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.BytesRef;

/** Maps a {@link StoredChunk} to the Lucene document that holds it, and back. One place for the field layout. */
final class ChunkDocuments {

    static final String CHUNK_ID = "chunk_id";
    static final String DOCUMENT_ID = "document_id";
    static final String CHUNK_INDEX = "chunk_index";
    static final String VERSION = "version";
    static final String TITLE = "title";
    static final String TEXT = "text";
    static final String TENANT = "tenant";
    /**
     * Lucene has no cheap "field is missing" query on a plain keyword field, so a chunk without a tenant carries this
     * marker term instead; a request without a tenant filters on it.
     */
    static final String UNTENANTED = "untenanted";
    static final String UNTENANTED_MARK = "1";
    static final String METADATA_PREFIX = "meta.";
    static final String VECTOR = "vector";
    /**
     * Title and passage, analysed for the keyword leg ({@link KeywordText}), scored with BM25. Not stored: the stored
     * title and text fields hold what answers quote.
     */
    static final String KEYWORDS = "keywords";
    /** The KNN field keeps the vector only in the graph; a stored copy lets {@code chunksOf} return it cheaply. */
    static final String VECTOR_BYTES = "vector_bytes";
    /** What the vector was computed from (stored only): an update reuses the vector when it is unchanged. */
    static final String EMBEDDING_FINGERPRINT = "embedding_fingerprint";

    private ChunkDocuments() {
    }

    /**
     * The graph's similarity for a new index. Embeddings are compared by cosine; scaled to unit length at indexing
     * (and the query at search), cosine is the dot product, which Lucene computes at half the cost of its COSINE
     * (one multiply-add per dimension instead of three): the one cost of every HNSW hop.
     */
    static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;

    static Document toDocument(StoredChunk chunk, VectorSimilarityFunction similarity) {
        Document doc = new Document();
        doc.add(new StringField(CHUNK_ID, chunk.chunkId(), Field.Store.YES));
        doc.add(new StringField(DOCUMENT_ID, chunk.documentId(), Field.Store.YES));
        doc.add(new IntPoint(CHUNK_INDEX, chunk.chunkIndex()));
        doc.add(new StoredField(CHUNK_INDEX, chunk.chunkIndex()));
        doc.add(new StoredField(VERSION, chunk.version()));
        if (chunk.title() != null) {
            doc.add(new StoredField(TITLE, chunk.title()));
        }
        if (chunk.text() != null) {
            doc.add(new StoredField(TEXT, chunk.text()));
        }
        if (chunk.tenant() != null) {
            doc.add(new StringField(TENANT, chunk.tenant(), Field.Store.YES));
        } else {
            doc.add(new StringField(UNTENANTED, UNTENANTED_MARK, Field.Store.NO));
        }
        chunk.metadata().forEach((key, value) ->
                doc.add(new StringField(METADATA_PREFIX + key, value, Field.Store.YES)));
        // In the same document as the vector: one update makes the chunk searchable both ways, or neither
        doc.add(new TextField(KEYWORDS, KeywordText.of(chunk), Field.Store.NO));
        doc.add(new KnnFloatVectorField(VECTOR, graphVector(chunk.vector(), similarity), similarity));
        doc.add(new StoredField(VECTOR_BYTES, encode(chunk.vector())));
        if (chunk.embeddingFingerprint() != null) {
            doc.add(new StoredField(EMBEDDING_FINGERPRINT, chunk.embeddingFingerprint()));
        }
        return doc;
    }

    static StoredChunk fromDocument(Document doc, boolean withVector) {
        Map<String, String> metadata = new HashMap<>();
        for (IndexableField field : doc.getFields()) {
            if (field.name().startsWith(METADATA_PREFIX)) {
                metadata.put(field.name().substring(METADATA_PREFIX.length()), field.stringValue());
            }
        }
        float[] vector = null;
        if (withVector) {
            BytesRef bytes = doc.getBinaryValue(VECTOR_BYTES);
            vector = decode(bytes);
        }
        return new StoredChunk(
                doc.get(CHUNK_ID),
                doc.get(DOCUMENT_ID),
                doc.getField(CHUNK_INDEX).numericValue().intValue(),
                doc.getField(VERSION).numericValue().longValue(),
                doc.get(TITLE),
                doc.get(TEXT),
                doc.get(TENANT),
                metadata,
                vector,
                doc.get(EMBEDDING_FINGERPRINT));
    }

    /**
     * The vector as the graph holds it: unit length under DOT_PRODUCT (a zero vector stays zero: it is no nearer to
     * anything), as given under COSINE (indexes built before DOT_PRODUCT keep their similarity).
     */
    static float[] graphVector(float[] vector, VectorSimilarityFunction similarity) {
        if (similarity != VectorSimilarityFunction.DOT_PRODUCT) {
            return vector;
        }
        double sum = 0;
        for (float component : vector) {
            sum += (double) component * component;
        }
        if (sum == 0) {
            return vector;
        }
        float scale = (float) (1.0 / Math.sqrt(sum));
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = vector[i] * scale;
        }
        return unit;
    }

    private static BytesRef encode(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return new BytesRef(buffer.array());
    }

    static float[] decode(BytesRef bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes.bytes, bytes.offset, bytes.length).order(ByteOrder.LITTLE_ENDIAN);
        float[] vector = new float[bytes.length / Float.BYTES];
        buffer.asFloatBuffer().get(vector);
        return vector;
    }
}
