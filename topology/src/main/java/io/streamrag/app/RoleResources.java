package io.streamrag.app;

import io.streamrag.app.config.AppConfig;
import io.streamrag.app.config.StoreSettings;
import io.streamrag.inference.embed.BatchingEmbedder;
import io.streamrag.inference.embed.EmbedderOptions;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.inference.worker.BatchingSettings;
import io.streamrag.inference.worker.SharedModels;
import io.streamrag.store.VectorStore;
import io.streamrag.store.lucene.LuceneVectorStore;
import io.streamrag.store.qdrant.QdrantConfig;
import io.streamrag.store.qdrant.QdrantVectorStore;
import java.io.IOException;

/**
 * The embedder and vector store the roles use, opened once per process and shared: the ingest and QA roles of one
 * process hold one model in memory, and with the embedded store they must share one Lucene index (Lucene allows one
 * writer per directory). Each role holds a lease that the runtime closes after its Streams instance; the last lease
 * closes the resource.
 */
public final class RoleResources {

    private static final SharedModels<TextEmbedder> EMBEDDERS = new SharedModels<>();
    private static final SharedModels<VectorStore> STORES = new SharedModels<>();

    private RoleResources() {
    }

    /** The configured embedder: the bundled all-MiniLM-L6-v2, a local Hugging Face folder or {@code hf://...}. */
    public static TextEmbedder embedder(RoleContext context) throws IOException {
        AppConfig config = context.config();
        ModelFactory models = new ModelFactory(config.models());
        String spec = models.embedderSpec(config.models().embedder().spec());
        String key = spec + "@" + config.models().deviceSettings();
        // behind one batching worker: every stream thread of both roles shares the model, and the worker forms
        // length-bucketed batches (its metrics: streamrag_worker_batch_size, streamrag_worker_queue_wait_seconds)
        return context.closeOnShutdown(EMBEDDERS.acquire(key, () -> BatchingEmbedder.wrap(
                models.openEmbedder(spec, EmbedderOptions.defaults().withMeterRegistry(context.meterRegistry())),
                BatchingSettings.defaults(), context.meterRegistry()))).model();
    }

    /** The configured store, its collection created for this embedder's vectors, registered as a readiness check. */
    public static VectorStore store(RoleContext context, TextEmbedder embedder) throws IOException {
        StoreSettings settings = context.config().store();
        String collection = collection(settings, embedder);
        String key = settings.type() == StoreSettings.StoreType.EMBEDDED
                ? "lucene:" + settings.embeddedDir().toAbsolutePath().normalize().resolve(collection)
                : "qdrant:" + settings.qdrantHost() + ":" + settings.qdrantPort() + "/" + collection;
        VectorStore store = context.closeOnShutdown(STORES.acquire(key, () -> open(settings, embedder))).model();
        store.ensureCollection(embedder.dimension());
        context.addVectorStoreCheck(store);
        return store;
    }

    /**
     * One collection per embedding model, so vectors of two models never share an index. For Qdrant the prefix is an
     * alias that the store points at a per-model collection.
     */
    public static String collection(StoreSettings store, TextEmbedder embedder) {
        return store.type() == StoreSettings.StoreType.EMBEDDED
                ? store.collectionPrefix() + "_" + embedder.modelName().replaceAll("[^A-Za-z0-9._-]", "_")
                : store.collectionPrefix();
    }

    private static VectorStore open(StoreSettings store, TextEmbedder embedder) {
        if (store.type() == StoreSettings.StoreType.EMBEDDED) {
            return LuceneVectorStore.open(store.embeddedDir().resolve(collection(store, embedder)), store.lucene());
        }
        return QdrantVectorStore.connect(qdrantConfig(store, store.collectionPrefix())
                .withEmbeddingModel(embedder.modelName()));
    }

    /** The Qdrant connection and collection options of the configuration, for collection {@code collection}. */
    public static QdrantConfig qdrantConfig(StoreSettings store, String collection) {
        return QdrantConfig.of(store.qdrantHost(), store.qdrantPort(), collection)
                .withTls(store.qdrantTls())
                .withApiKey(store.qdrantApiKey().orElse(null))
                .withCollectionOptions(store.qdrantCollections());
    }
}
