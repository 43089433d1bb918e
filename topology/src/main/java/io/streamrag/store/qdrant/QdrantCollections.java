package io.streamrag.store.qdrant;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections.AliasDescription;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.DeleteAlias;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.HnswConfigDiff;
import io.qdrant.client.grpc.Collections.Modifier;
import io.qdrant.client.grpc.Collections.QuantizationConfig;
import io.qdrant.client.grpc.Collections.QuantizationType;
import io.qdrant.client.grpc.Collections.ScalarQuantization;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.FieldType;
import io.streamrag.store.VectorStoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Collections and aliases: one physical collection per embedding model ({@code <prefix>_<model>_<dim>}), served
 * under a stable alias. A reindex fills a new collection, then {@link #switchAlias} moves readers and writers over in
 * one atomic step.
 */
public final class QdrantCollections {

    /** Payload fields every chunk query filters on, indexed as keywords so filtered HNSW search stays fast. */
    static final List<String> KEYWORD_INDEXES = List.of(ChunkPayload.DOCUMENT_ID, ChunkPayload.TENANT);

    private final QdrantClient client;
    private final TransientRetry retry;
    private final Duration timeout;
    private final CollectionOptions options;

    QdrantCollections(QdrantClient client, TransientRetry retry, Duration timeout, CollectionOptions options) {
        this.client = client;
        this.retry = retry;
        this.timeout = timeout;
        this.options = options;
    }

    /**
     * Collections for a client the caller owns, with the retries, call timeout and collection options of
     * {@code config}.
     */
    public static QdrantCollections of(QdrantClient client, QdrantConfig config) {
        return new QdrantCollections(client, new TransientRetry(config.retry()), config.timeout(),
                config.collectionOptions());
    }

    /**
     * The physical collection name for an embedding model: {@code <prefix>_<model>_<dimension>}, the model name
     * lower-cased with every run of characters other than letters and digits turned into one underscore
     * ("sentence-transformers/all-MiniLM-L6-v2" gives "sentence_transformers_all_minilm_l6_v2").
     */
    public static String collectionName(String prefix, String modelName, int dimension) {
        String model = modelName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (model.isEmpty()) {
            throw new IllegalArgumentException("Model name '" + modelName + "' has no letters or digits");
        }
        return prefix + "_" + model + "_" + dimension;
    }

    /**
     * Creates {@code name} (cosine, {@code dimension}) with its payload indexes when it is missing; checks the vector
     * size when it exists (also through an alias). Returns true when it created the collection.
     */
    public boolean ensureCollection(String name, int dimension) {
        Optional<String> existing = resolve(name);
        if (existing.isEmpty()) {
            try {
                createCollection(name, dimension);
                return true;
            } catch (VectorStoreException e) {
                // Another instance may have created it between the check and the create: then it is there to use.
                existing = resolve(name);
                if (existing.isEmpty()) {
                    throw e;
                }
            }
        }
        checkDimension(existing.get(), name, dimension);
        ensurePayloadIndexes(existing.get());
        return false;
    }

    /** Creates the collection and its keyword payload indexes; fails when it exists. */
    public void createCollection(String name, int dimension) {
        if (dimension <= 0) {
            throw new IllegalArgumentException("Vector dimension must be positive, was " + dimension);
        }
        VectorParams.Builder dense = VectorParams.newBuilder()
                .setSize(dimension)
                .setDistance(Distance.Cosine);
        if (options.onDisk()) {
            dense.setOnDisk(true);
        }
        CreateCollection.Builder request = CreateCollection.newBuilder()
                .setCollectionName(name)
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(dense))
                // the keyword leg: Qdrant keeps document frequencies and applies BM25's idf at query time
                .setSparseVectorsConfig(SparseVectorConfig.newBuilder().putMap(KeywordVectors.NAME,
                        SparseVectorParams.newBuilder().setModifier(Modifier.Idf).build()));
        applyOptions(request);
        CreateCollection create = request.build();
        retry.call("create collection " + name, () -> client.createCollectionAsync(create, timeout));
        ensurePayloadIndexes(name);
    }

    /** HNSW, quantisation, on-disk storage and sharding from the configuration; unset ones are the server's. */
    private void applyOptions(CreateCollection.Builder request) {
        HnswConfigDiff.Builder hnsw = HnswConfigDiff.newBuilder();
        if (options.hnswM() > 0) {
            hnsw.setM(options.hnswM());
        }
        if (options.hnswEfConstruct() > 0) {
            hnsw.setEfConstruct(options.hnswEfConstruct());
        }
        if (options.onDisk()) {
            hnsw.setOnDisk(true);
        }
        if (options.hnswM() > 0 || options.hnswEfConstruct() > 0 || options.onDisk()) {
            request.setHnswConfig(hnsw);
        }
        if (options.quantization() == CollectionOptions.Quantization.INT8) {
            // always_ram: the quantised copy stays in memory even when the originals are on disk
            request.setQuantizationConfig(QuantizationConfig.newBuilder().setScalar(ScalarQuantization.newBuilder()
                    .setType(QuantizationType.Int8)
                    .setAlwaysRam(true)));
        }
        if (options.shards() > 0) {
            request.setShardNumber(options.shards());
        }
        if (options.replicationFactor() > 0) {
            request.setReplicationFactor(options.replicationFactor());
        }
    }

    /** The collection behind an alias or a collection name: the name itself for a collection, empty if neither. */
    public Optional<String> resolve(String name) {
        Optional<String> target = aliasTarget(name);
        if (target.isPresent()) {
            return target;
        }
        boolean exists = retry.call("check collection " + name, () -> client.collectionExistsAsync(name, timeout));
        return exists ? Optional.of(name) : Optional.empty();
    }

    /** The collection an alias points to, if the alias exists. */
    public Optional<String> aliasTarget(String alias) {
        return Optional.ofNullable(listAliases().get(alias));
    }

    /**
     * Points {@code alias} at {@code collection} in one UpdateAliases call (delete and create together), so no reader
     * ever finds the alias missing or half-switched.
     */
    public void switchAlias(String alias, String collection) {
        List<AliasOperations> actions = new ArrayList<>();
        if (aliasTarget(alias).isPresent()) {
            actions.add(AliasOperations.newBuilder()
                    .setDeleteAlias(DeleteAlias.newBuilder().setAliasName(alias)).build());
        }
        actions.add(AliasOperations.newBuilder()
                .setCreateAlias(CreateAlias.newBuilder().setAliasName(alias).setCollectionName(collection)).build());
        retry.call("switch alias " + alias + " to " + collection, () -> client.updateAliasesAsync(actions, timeout));
    }

    /** Every alias and the collection it points to. */
    public Map<String, String> listAliases() {
        List<AliasDescription> aliases = retry.call("list aliases", () -> client.listAliasesAsync(timeout));
        Map<String, String> byAlias = new LinkedHashMap<>();
        for (AliasDescription alias : aliases) {
            byAlias.put(alias.getAliasName(), alias.getCollectionName());
        }
        return byAlias;
    }

    public List<String> listCollections() {
        return retry.call("list collections", () -> client.listCollectionsAsync(timeout));
    }

    /** The vector size of a collection (or of the collection behind an alias). */
    public int dimensionOf(String name) {
        CollectionInfo info = retry.call("get collection " + name, () -> client.getCollectionInfoAsync(name, timeout));
        VectorsConfig vectors = info.getConfig().getParams().getVectorsConfig();
        if (!vectors.hasParams()) {
            throw new VectorStoreException("Qdrant collection " + name
                    + " uses named vectors; this store writes one unnamed vector per point");
        }
        return (int) vectors.getParams().getSize();
    }

    /**
     * Whether the collection has the keyword sparse vector (collections created before hybrid search have not; a
     * reindex creates a new one that has).
     */
    public boolean hasKeywordIndex(String name) {
        CollectionInfo info = retry.call("get collection " + name, () -> client.getCollectionInfoAsync(name, timeout));
        return info.getConfig().getParams().getSparseVectorsConfig().containsMap(KeywordVectors.NAME);
    }

    public void deleteCollection(String name) {
        retry.call("delete collection " + name, () -> client.deleteCollectionAsync(name, timeout));
    }

    private void checkDimension(String physical, String requested, int dimension) {
        int existing = dimensionOf(physical);
        if (existing != dimension) {
            throw new VectorStoreException("Qdrant collection " + physical
                    + (physical.equals(requested) ? "" : " (alias " + requested + ")") + " holds vectors of size "
                    + existing + " but the embedding model produces " + dimension
                    + ": reindex into a new collection and switch the alias");
        }
    }

    /** Creating an index that exists is a no-op in Qdrant, but skipping known ones saves calls at every start. */
    private void ensurePayloadIndexes(String collection) {
        CollectionInfo info = retry.call("get collection " + collection,
                () -> client.getCollectionInfoAsync(collection, timeout));
        for (String field : KEYWORD_INDEXES) {
            if (info.getPayloadSchemaMap().containsKey(field)
                    && info.getPayloadSchemaMap().get(field).getDataType() == PayloadSchemaType.Keyword) {
                continue;
            }
            CreateFieldIndexCollection request = CreateFieldIndexCollection.newBuilder()
                    .setCollectionName(collection)
                    .setFieldName(field)
                    .setFieldType(FieldType.FieldTypeKeyword)
                    .setWait(true)
                    .build();
            retry.call("create payload index " + field + " on " + collection,
                    () -> client.createPayloadIndexAsync(request, timeout));
        }
    }
}
