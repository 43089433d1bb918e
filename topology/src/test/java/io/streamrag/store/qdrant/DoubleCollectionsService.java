package io.streamrag.store.qdrant;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections.AliasDescription;
import io.qdrant.client.grpc.Collections.ChangeAliases;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CollectionDescription;
import io.qdrant.client.grpc.Collections.CollectionExists;
import io.qdrant.client.grpc.Collections.CollectionExistsRequest;
import io.qdrant.client.grpc.Collections.CollectionExistsResponse;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionOperationResponse;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.CollectionStatus;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.DeleteCollection;
import io.qdrant.client.grpc.Collections.GetCollectionInfoRequest;
import io.qdrant.client.grpc.Collections.GetCollectionInfoResponse;
import io.qdrant.client.grpc.Collections.ListAliasesRequest;
import io.qdrant.client.grpc.Collections.ListAliasesResponse;
import io.qdrant.client.grpc.Collections.ListCollectionAliasesRequest;
import io.qdrant.client.grpc.Collections.ListCollectionsRequest;
import io.qdrant.client.grpc.Collections.ListCollectionsResponse;
import io.qdrant.client.grpc.Collections.OptimizerStatus;
import io.qdrant.client.grpc.Collections.PayloadSchemaInfo;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.CollectionsGrpc;
import java.util.List;
import java.util.Map;

/** The Collections service of the double: create, get, exists, list, delete, and aliases. */
final class DoubleCollectionsService extends CollectionsGrpc.CollectionsImplBase {

    private final DoubleStore store;

    /** Every create request, for tests of the collection settings the store sends. */
    final List<CreateCollection> creates = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    DoubleCollectionsService(DoubleStore store) {
        this.store = store;
    }

    @Override
    public void create(CreateCollection request, StreamObserver<CollectionOperationResponse> observer) {
        long start = System.nanoTime();
        creates.add(request);
        DoubleCalls.respond(observer, () -> {
            if (!request.hasVectorsConfig() || !request.getVectorsConfig().hasParams()) {
                throw Status.UNIMPLEMENTED
                        .withDescription("Qdrant double models only collections with one unnamed dense vector (and named sparse ones)")
                        .asRuntimeException();
            }
            store.create(request.getCollectionName(), request.getVectorsConfig().getParams(),
                    request.getSparseVectorsConfig().getMapMap());
            return CollectionOperationResponse.newBuilder().setResult(true).setTime(DoubleCalls.elapsed(start))
                    .build();
        });
    }

    @Override
    public void get(GetCollectionInfoRequest request, StreamObserver<GetCollectionInfoResponse> observer) {
        long start = System.nanoTime();
        DoubleCalls.respond(observer, () -> store.withCollection(request.getCollectionName(), collection -> {
            CollectionInfo.Builder info = CollectionInfo.newBuilder()
                    .setStatus(CollectionStatus.Green)
                    .setOptimizerStatus(OptimizerStatus.newBuilder().setOk(true))
                    .setSegmentsCount(1)
                    .setPointsCount(collection.size())
                    .setIndexedVectorsCount(0)
                    .setConfig(CollectionConfig.newBuilder().setParams(CollectionParams.newBuilder()
                            .setShardNumber(1)
                            .setReplicationFactor(1)
                            .setWriteConsistencyFactor(1)
                            .setVectorsConfig(VectorsConfig.newBuilder().setParams(collection.params()))
                            .setSparseVectorsConfig(io.qdrant.client.grpc.Collections.SparseVectorConfig.newBuilder()
                                    .putAllMap(collection.sparseParams()))));
            for (Map.Entry<String, io.qdrant.client.grpc.Collections.PayloadSchemaType> entry
                    : collection.payloadSchema().entrySet()) {
                long indexed = collection.all().stream()
                        .filter(point -> !PayloadFilter.values(point.payload(), entry.getKey()).isEmpty())
                        .count();
                info.putPayloadSchema(entry.getKey(), PayloadSchemaInfo.newBuilder()
                        .setDataType(entry.getValue())
                        .setPoints(indexed)
                        .build());
            }
            return GetCollectionInfoResponse.newBuilder().setResult(info).setTime(DoubleCalls.elapsed(start))
                    .build();
        }));
    }

    @Override
    public void collectionExists(CollectionExistsRequest request, StreamObserver<CollectionExistsResponse> observer) {
        long start = System.nanoTime();
        DoubleCalls.respond(observer, () -> CollectionExistsResponse.newBuilder()
                .setResult(CollectionExists.newBuilder().setExists(store.exists(request.getCollectionName())))
                .setTime(DoubleCalls.elapsed(start))
                .build());
    }

    @Override
    public void list(ListCollectionsRequest request, StreamObserver<ListCollectionsResponse> observer) {
        long start = System.nanoTime();
        DoubleCalls.respond(observer, () -> {
            ListCollectionsResponse.Builder reply = ListCollectionsResponse.newBuilder();
            for (String name : store.collectionNames()) {
                reply.addCollections(CollectionDescription.newBuilder().setName(name));
            }
            return reply.setTime(DoubleCalls.elapsed(start)).build();
        });
    }

    @Override
    public void delete(DeleteCollection request, StreamObserver<CollectionOperationResponse> observer) {
        long start = System.nanoTime();
        DoubleCalls.respond(observer, () -> CollectionOperationResponse.newBuilder()
                .setResult(store.delete(request.getCollectionName()))
                .setTime(DoubleCalls.elapsed(start))
                .build());
    }

    @Override
    public void updateAliases(ChangeAliases request, StreamObserver<CollectionOperationResponse> observer) {
        long start = System.nanoTime();
        DoubleCalls.respond(observer, () -> {
            store.changeAliases(request.getActionsList());
            return CollectionOperationResponse.newBuilder().setResult(true).setTime(DoubleCalls.elapsed(start))
                    .build();
        });
    }

    @Override
    public void listCollectionAliases(ListCollectionAliasesRequest request,
                                      StreamObserver<ListAliasesResponse> observer) {
        long start = System.nanoTime();
        DoubleCalls.respond(observer, () -> {
            if (!store.exists(request.getCollectionName())) {
                throw DoubleStore.notFound(request.getCollectionName());
            }
            return aliases(store.aliases(), request.getCollectionName(), start);
        });
    }

    @Override
    public void listAliases(ListAliasesRequest request, StreamObserver<ListAliasesResponse> observer) {
        long start = System.nanoTime();
        DoubleCalls.respond(observer, () -> aliases(store.aliases(), null, start));
    }

    private static ListAliasesResponse aliases(Map<String, String> aliases, String onlyFor, long start) {
        ListAliasesResponse.Builder reply = ListAliasesResponse.newBuilder();
        aliases.forEach((alias, collection) -> {
            if (onlyFor == null || onlyFor.equals(collection)) {
                reply.addAliases(AliasDescription.newBuilder().setAliasName(alias).setCollectionName(collection));
            }
        });
        return reply.setTime(DoubleCalls.elapsed(start)).build();
    }
}
