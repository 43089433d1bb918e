package io.streamrag.store.qdrant;

import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.IsEmptyCondition;
import io.qdrant.client.grpc.Common.Match;
import io.qdrant.client.grpc.Common.Range;
import io.qdrant.client.grpc.Common.RepeatedStrings;
import io.streamrag.store.SearchRequest;
import java.util.Collection;
import java.util.Map;

/** The Qdrant filters this store sends: a request's tenant and metadata, a document, a document's surplus chunks. */
final class ChunkFilters {

    private ChunkFilters() {
    }

    /**
     * The tenant (or, for a null tenant, "no tenant field") and every metadata filter, all required. Qdrant applies
     * the filter inside the HNSW search, so top-k is counted among the matching points only.
     */
    static Filter forRequest(SearchRequest request) {
        Filter.Builder filter = Filter.newBuilder();
        if (request.tenant() != null) {
            filter.addMust(keyword(ChunkPayload.TENANT, request.tenant()));
        } else {
            filter.addMust(Condition.newBuilder()
                    .setIsEmpty(IsEmptyCondition.newBuilder().setKey(ChunkPayload.TENANT)));
        }
        for (Map.Entry<String, String> entry : request.filters().entrySet()) {
            filter.addMust(keyword(metadataKey(entry.getKey()), entry.getValue()));
        }
        return filter.build();
    }

    static Filter document(String documentId) {
        return Filter.newBuilder().addMust(keyword(ChunkPayload.DOCUMENT_ID, documentId)).build();
    }

    /** Every chunk of any of these documents. */
    static Filter documents(Collection<String> documentIds) {
        return Filter.newBuilder().addMust(Condition.newBuilder().setField(FieldCondition.newBuilder()
                .setKey(ChunkPayload.DOCUMENT_ID)
                .setMatch(Match.newBuilder().setKeywords(RepeatedStrings.newBuilder().addAllStrings(documentIds)))))
                .build();
    }

    /** The document's chunks with an index at or beyond {@code keep}: what is left over when a document shrank. */
    static Filter surplusChunks(String documentId, int keep) {
        return Filter.newBuilder()
                .addMust(keyword(ChunkPayload.DOCUMENT_ID, documentId))
                .addMust(Condition.newBuilder().setField(FieldCondition.newBuilder()
                        .setKey(ChunkPayload.CHUNK_INDEX)
                        .setRange(Range.newBuilder().setGte(keep))))
                .build();
    }

    /**
     * Qdrant reads dots and brackets in a key as a path into nested objects, so a metadata key holding one could not
     * be addressed; such keys are refused rather than silently matching nothing.
     */
    static String metadataKey(String key) {
        if (key.isEmpty() || key.contains(".") || key.contains("[") || key.contains("]")) {
            throw new IllegalArgumentException("Metadata filter key '" + key
                    + "' cannot be used with Qdrant: keys must be non-empty and contain no '.', '[' or ']'");
        }
        return ChunkPayload.METADATA + "." + key;
    }

    private static Condition keyword(String key, String value) {
        return Condition.newBuilder()
                .setField(FieldCondition.newBuilder().setKey(key).setMatch(Match.newBuilder().setKeyword(value)))
                .build();
    }
}
