package io.streamrag.app.config;

import io.streamrag.store.lucene.LuceneOptions;
import io.streamrag.store.qdrant.CollectionOptions;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The vector store.
 *
 * @param lucene            the embedded store's search beam and vector format
 * @param qdrantCollections how new Qdrant collections are built and searched
 */
public record StoreSettings(
        StoreType type,
        Path embeddedDir,
        String qdrantHost,
        int qdrantPort,
        boolean qdrantTls,
        Optional<String> qdrantApiKey,
        String collectionPrefix,
        LuceneOptions lucene,
        CollectionOptions qdrantCollections) {

    public enum StoreType {
        /** Lucene in this process, files in {@code store.embedded.dir}. */
        EMBEDDED,
        /** A Qdrant server over gRPC. */
        QDRANT;

        static StoreType parse(String name) {
            for (StoreType type : values()) {
                if (type.name().equalsIgnoreCase(name)) {
                    return type;
                }
            }
            return null;
        }
    }

    @Override
    public String toString() {
        return "StoreSettings[type=" + type + ", embeddedDir=" + embeddedDir + ", qdrant=" + qdrantHost + ":"
                + qdrantPort + (qdrantTls ? " (tls)" : "") + ", qdrantApiKey=" + qdrantApiKey.map(k -> "****").orElse("none")
                + ", collectionPrefix=" + collectionPrefix + ", lucene=" + lucene + ", qdrantCollections="
                + qdrantCollections + "]";
    }
}
