package io.streamrag.qa;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamrag.app.Role;
import io.streamrag.app.RoleContext;
import io.streamrag.app.RoleTopology;
import io.streamrag.app.config.AppConfig;
import io.streamrag.app.config.ModelSource;
import io.streamrag.app.config.StoreSettings;
import io.streamrag.contracts.Answer;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.Question;
import io.streamrag.inference.bart.BartGenerator;
import io.streamrag.inference.bart.ComputePrecision;
import io.streamrag.inference.checkpoint.ModelLocator;
import io.streamrag.inference.device.ComputeDevice;
import io.streamrag.inference.embed.EmbedderOptions;
import io.streamrag.inference.embed.Embedders;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.inference.generate.TextGenerator;
import io.streamrag.store.VectorStore;
import io.streamrag.store.lucene.LuceneVectorStore;
import io.streamrag.store.qdrant.QdrantConfig;
import io.streamrag.store.qdrant.QdrantVectorStore;
import java.io.IOException;
import org.apache.kafka.streams.Topology;

/**
 * The QA role for the application runtime: opens the embedder, the vector store (the collection the ingest role
 * writes for the same embedding model) and the generator when {@code models.generator} is set (extractive answers
 * otherwise), all closed by the runtime after the Streams instance, and builds {@link QaTopology}.
 *
 * <p>The embedder and store are opened as the ingest role opens them. When both roles run in one process with the
 * embedded (Lucene) store they must share one store instance: Lucene allows one writer per directory.
 */
public final class QaRole implements RoleTopology {

    @Override
    public Role role() {
        return Role.QA;
    }

    @Override
    public Topology build(RoleContext context) throws IOException {
        AppConfig config = context.config();
        QaSettings settings = QaConfiguration.settingsFrom(config);
        TextEmbedder embedder = context.closeOnShutdown(openEmbedder(config, context.meterRegistry()));
        VectorStore store = context.closeOnShutdown(openStore(config.store(), embedder));
        store.ensureCollection(embedder.dimension());
        context.addVectorStoreCheck(store);
        TextGenerator generator = config.models().generator().isPresent()
                ? context.closeOnShutdown(openGenerator(config)) : null;
        QaSerdes serdes = new QaSerdes(context.valueSerde(Question.class), context.valueSerde(Answer.class),
                context.valueSerde(DeadLetter.class));
        return new QaTopology(settings, serdes, embedder, store, generator, context.meterRegistry()).build();
    }

    private static TextEmbedder openEmbedder(AppConfig config, MeterRegistry meters) throws IOException {
        ModelSource source = config.models().embedder();
        String spec = source instanceof ModelSource.Bundled ? Embedders.DEFAULT
                : ModelLocator.fromEnvironment().resolve(source.spec()).toString();
        return Embedders.open(spec, EmbedderOptions.defaults()
                .withDevice(config.models().deviceSettings())
                .withMeterRegistry(meters));
    }

    private static TextGenerator openGenerator(AppConfig config) throws IOException {
        ModelSource source = config.models().generator().orElseThrow();
        ComputeDevice device = config.models().device();
        device.requireAvailable();
        return BartGenerator.open(ModelLocator.fromEnvironment().resolve(source.spec()), device.toDjl(),
                ComputePrecision.parse(config.models().precision().name()));
    }

    private static VectorStore openStore(StoreSettings store, TextEmbedder embedder) {
        if (store.type() == StoreSettings.StoreType.EMBEDDED) {
            return LuceneVectorStore.open(store.embeddedDir().resolve(collection(store, embedder)));
        }
        return QdrantVectorStore.connect(QdrantConfig.of(store.qdrantHost(), store.qdrantPort(),
                        store.collectionPrefix())
                .withTls(store.qdrantTls())
                .withApiKey(store.qdrantApiKey().orElse(null))
                .withEmbeddingModel(embedder.modelName()));
    }

    /** One collection per embedding model, named as the ingest role names it. */
    private static String collection(StoreSettings store, TextEmbedder embedder) {
        return store.type() == StoreSettings.StoreType.EMBEDDED
                ? store.collectionPrefix() + "_" + embedder.modelName().replaceAll("[^A-Za-z0-9._-]", "_")
                : store.collectionPrefix();
    }
}
