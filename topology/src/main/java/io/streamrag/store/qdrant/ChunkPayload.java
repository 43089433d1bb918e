package io.streamrag.store.qdrant;

import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Struct;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.NamedVectors;
import io.qdrant.client.grpc.Points.SparseVector;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.Points.VectorOutput;
import io.qdrant.client.grpc.Points.Vectors;
import io.qdrant.client.grpc.Points.VectorsOutput;
import io.streamrag.store.StoredChunk;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Maps a {@link StoredChunk} to a Qdrant point and back. One place for the payload layout: {@code document_id}
 * (keyword), {@code chunk_index} and {@code version} (integers), {@code title}, {@code text}, {@code tenant} (keyword,
 * absent for an untenanted chunk), {@code metadata} (a nested object, filterable as {@code metadata.<key>}) and
 * {@code embedding_fingerprint} (what the vector was computed from; absent on chunks written before it existed).
 */
final class ChunkPayload {

    static final String DOCUMENT_ID = "document_id";
    static final String CHUNK_INDEX = "chunk_index";
    static final String VERSION = "version";
    static final String TITLE = "title";
    static final String TEXT = "text";
    static final String TENANT = "tenant";
    static final String METADATA = "metadata";
    /** What the vector was computed from: an update reuses the vector when it is unchanged. Not indexed. */
    static final String EMBEDDING_FINGERPRINT = "embedding_fingerprint";
    /** Qdrant's name of a collection's default (unnamed) vector. */
    static final String DENSE = "";

    private ChunkPayload() {
    }

    static PointStruct toPoint(StoredChunk chunk) {
        return toPoint(chunk, false);
    }

    /**
     * The point of a chunk: payload, the dense vector, and with {@code withKeywords} its keyword sparse vector
     * ({@link KeywordVectors}) in the same point, so one upsert makes it searchable both ways.
     */
    static PointStruct toPoint(StoredChunk chunk, boolean withKeywords) {
        Map<String, Value> payload = new HashMap<>();
        payload.put(DOCUMENT_ID, string(chunk.documentId()));
        payload.put(CHUNK_INDEX, Value.newBuilder().setIntegerValue(chunk.chunkIndex()).build());
        payload.put(VERSION, Value.newBuilder().setIntegerValue(chunk.version()).build());
        if (chunk.title() != null) {
            payload.put(TITLE, string(chunk.title()));
        }
        if (chunk.text() != null) {
            payload.put(TEXT, string(chunk.text()));
        }
        if (chunk.tenant() != null) {
            payload.put(TENANT, string(chunk.tenant()));
        }
        if (chunk.embeddingFingerprint() != null) {
            payload.put(EMBEDDING_FINGERPRINT, string(chunk.embeddingFingerprint()));
        }
        Struct.Builder metadata = Struct.newBuilder();
        chunk.metadata().forEach((key, value) -> metadata.putFields(key, string(value)));
        payload.put(METADATA, Value.newBuilder().setStructValue(metadata).build());

        DenseVector.Builder dense = DenseVector.newBuilder();
        for (float component : chunk.vector()) {
            dense.addData(component);
        }
        Vector denseVector = Vector.newBuilder().setDense(dense).build();
        Vectors vectors;
        if (withKeywords) {
            // the collection's default (unnamed) dense vector is the one named "" beside the named sparse one
            NamedVectors.Builder named = NamedVectors.newBuilder().putVectors(DENSE, denseVector);
            SparseVector keywords = KeywordVectors.document(chunk);
            if (keywords.getIndicesCount() > 0) {
                named.putVectors(KeywordVectors.NAME, Vector.newBuilder().setSparse(keywords).build());
            }
            vectors = Vectors.newBuilder().setVectors(named).build();
        } else {
            vectors = Vectors.newBuilder().setVector(denseVector).build();
        }
        return PointStruct.newBuilder()
                .setId(pointId(chunk.chunkId()))
                .putAllPayload(payload)
                .setVectors(vectors)
                .build();
    }

    /** Qdrant point ids are unsigned integers or UUIDs; the chunk ids are UUIDs (v5 of document id and index). */
    static PointId pointId(String chunkId) {
        UUID uuid;
        try {
            uuid = UUID.fromString(chunkId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Chunk id " + chunkId + " is not a UUID; Qdrant point ids must be", e);
        }
        return PointId.newBuilder().setUuid(uuid.toString()).build();
    }

    static StoredChunk fromPoint(PointId id, Map<String, Value> payload, VectorsOutput vectors) {
        String documentId = string(payload, DOCUMENT_ID);
        if (documentId == null || !payload.containsKey(CHUNK_INDEX)) {
            throw new IllegalStateException("Qdrant point " + describe(id)
                    + " has no document_id/chunk_index payload: not written by this store");
        }
        Map<String, String> metadata = new HashMap<>();
        Value metadataValue = payload.get(METADATA);
        if (metadataValue != null && metadataValue.hasStructValue()) {
            metadataValue.getStructValue().getFieldsMap().forEach((key, value) -> {
                if (value.hasStringValue()) {
                    metadata.put(key, value.getStringValue());
                }
            });
        }
        return new StoredChunk(
                id.hasUuid() ? id.getUuid() : Long.toUnsignedString(id.getNum()),
                documentId,
                (int) payload.get(CHUNK_INDEX).getIntegerValue(),
                payload.containsKey(VERSION) ? payload.get(VERSION).getIntegerValue() : 0L,
                string(payload, TITLE),
                string(payload, TEXT),
                string(payload, TENANT),
                metadata,
                vectors == null ? null : vector(vectors),
                string(payload, EMBEDDING_FINGERPRINT));
    }

    static float[] vector(VectorsOutput vectors) {
        VectorOutput output;
        if (vectors.hasVector()) {
            output = vectors.getVector();
        } else if (vectors.hasVectors() && vectors.getVectors().containsVectors(DENSE)) {
            output = vectors.getVectors().getVectorsOrThrow(DENSE);
        } else {
            return null;
        }
        // Servers fill the dense oneof; older ones only the deprecated flat data field.
        @SuppressWarnings("deprecation")
        List<Float> data = output.hasDense() ? output.getDense().getDataList() : output.getDataList();
        float[] vector = new float[data.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = data.get(i);
        }
        return vector;
    }

    private static Value string(String value) {
        return Value.newBuilder().setStringValue(value).build();
    }

    static String string(Map<String, Value> payload, String key) {
        Value value = payload.get(key);
        return value != null && value.hasStringValue() ? value.getStringValue() : null;
    }

    private static String describe(PointId id) {
        return id.hasUuid() ? id.getUuid() : Long.toUnsignedString(id.getNum());
    }
}
