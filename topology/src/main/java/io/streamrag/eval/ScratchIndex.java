package io.streamrag.eval;

import io.streamrag.app.RoleResources;
import io.streamrag.app.config.AppConfig;
import io.streamrag.app.config.StoreSettings;
import io.streamrag.store.VectorStore;
import io.streamrag.store.lucene.LuceneVectorStore;
import io.streamrag.store.qdrant.QdrantCollections;
import io.streamrag.store.qdrant.QdrantConfig;
import io.streamrag.store.qdrant.QdrantVectorStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A throw-away index of the configured store type for an evaluation, removed on close: a Lucene index in a temporary
 * directory, or a Qdrant collection {@code <prefix>_eval_<random>} on the configured server. Never the app's own
 * index, so an evaluation can run beside a serving app.
 */
public final class ScratchIndex implements AutoCloseable {

    private final VectorStore store;
    private final Runnable beforeClose;
    private final Runnable afterClose;
    private final String where;

    private ScratchIndex(VectorStore store, Runnable beforeClose, Runnable afterClose, String where) {
        this.store = store;
        this.beforeClose = beforeClose;
        this.afterClose = afterClose;
        this.where = where;
    }

    public static ScratchIndex open(AppConfig app, int dimension) throws IOException {
        StoreSettings settings = app.store();
        if (settings.type() == StoreSettings.StoreType.EMBEDDED) {
            Path directory = Files.createTempDirectory("streamrag-eval-");
            LuceneVectorStore store = LuceneVectorStore.open(directory, settings.lucene());
            store.ensureCollection(dimension);
            return new ScratchIndex(store, () -> { }, () -> deleteTree(directory), "Lucene index " + directory);
        }
        String collection = settings.collectionPrefix() + "_eval_" + UUID.randomUUID().toString().substring(0, 8);
        QdrantConfig config = RoleResources.qdrantConfig(settings, collection);
        QdrantVectorStore store = QdrantVectorStore.connect(config);
        store.ensureCollection(dimension);
        QdrantCollections collections = store.collections();
        return new ScratchIndex(store, () -> collections.deleteCollection(collection), () -> { },
                "Qdrant collection " + collection + " on " + settings.qdrantHost() + ":" + settings.qdrantPort());
    }

    public VectorStore store() {
        return store;
    }

    public String where() {
        return where;
    }

    @Override
    public void close() {
        try {
            beforeClose.run();
        } finally {
            store.close();
        }
        afterClose.run();
    }

    private static void deleteTree(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the scratch index " + directory, e);
        }
    }
}
