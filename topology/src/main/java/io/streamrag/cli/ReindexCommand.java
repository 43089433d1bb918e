package io.streamrag.cli;

import io.qdrant.client.QdrantClient;
import io.streamrag.app.ModelFactory;
import io.streamrag.app.RoleResources;
import io.streamrag.app.config.AppConfig;
import io.streamrag.app.config.StoreSettings;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.inference.embed.EmbedderOptions;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.reindex.IngestGroupCheck;
import io.streamrag.reindex.ReindexResult;
import io.streamrag.reindex.Reindexer;
import io.streamrag.serde.SpecificAvroSerde;
import io.streamrag.store.VectorStore;
import io.streamrag.store.lucene.LuceneVectorStore;
import io.streamrag.store.qdrant.QdrantCollections;
import io.streamrag.store.qdrant.QdrantConfig;
import io.streamrag.store.qdrant.QdrantVectorStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamrag reindex --embedder SPEC}: fills the new model's collection from the documents topic and the
 * captured CDC documents.
 */
@Command(name = "reindex", mixinStandardHelpOptions = true,
        description = {
            "Re-embed every document with a new embedding model: read the compacted documents topics from the "
                    + "beginning to its current end, index the newest version of every live document into the new "
                    + "model's collection, then (Qdrant) switch the alias store.collection.prefix to it.",
            "",
            "Operator steps:",
            "  1. Stop the ingest workers (QA keeps answering from the current collection; changes wait in Kafka).",
            "  2. streamrag reindex -c app.yaml --embedder SPEC  (refuses to switch while the ingest group has "
                    + "members or has committed past the snapshot).",
            "  3. Restart the QA workers, then the ingest workers, with models.embedder=SPEC. Ingest resumes from "
                    + "its committed offsets, which lie inside the snapshot, so every later change reaches the new "
                    + "collection.",
            "Running workers pin their own model's collection at start, so old-model QA workers keep answering from "
                    + "the old collection until they are restarted on the new model.",
            "CDC documents are read from topics.captured.documents, where the ingest keeps the state of every CDC "
                    + "document it took: no new database snapshot is needed.",
            "The old Qdrant collection is kept for rollback (switch the alias back) unless --delete-old is given.",
            ""})
public final class ReindexCommand implements Callable<Integer> {

    /** Opens the embedder a spec names ({@code default}, a directory, {@code hf://org/name}). */
    public interface EmbedderOpener {
        TextEmbedder open(String spec, AppConfig config) throws IOException;
    }

    @Mixin
    ConfigOptions config;

    @Option(names = "--embedder", required = true, paramLabel = "SPEC",
            description = "The new embedding model, as models.embedder: default, a local folder or hf://org/name.")
    String embedderSpec;

    @Option(names = "--delete-old", description = "Delete the collection the alias pointed at before (Qdrant).")
    boolean deleteOld;

    @Option(names = "--batch-size", defaultValue = "64", paramLabel = "N",
            description = "Documents per embed-and-write batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Spec
    CommandSpec spec;

    private final EmbedderOpener opener;

    public ReindexCommand() {
        this(ReindexCommand::openEmbedder);
    }

    /** With another way to open the embedder (tests). */
    public ReindexCommand(EmbedderOpener opener) {
        this.opener = opener;
    }

    @Override
    public Integer call() throws Exception {
        AppConfig app = config.load();
        PrintWriter out = spec.commandLine().getOut();
        try (TextEmbedder embedder = opener.open(embedderSpec, app)) {
            out.printf("Reindexing %s and %s with %s (%d dimensions)%n", app.topics().documents(),
                    app.topics().capturedDocuments(), embedder.modelName(), embedder.dimension());
            return app.store().type() == StoreSettings.StoreType.EMBEDDED
                    ? intoLucene(app, embedder, out) : intoQdrant(app, embedder, out);
        }
    }

    private int intoLucene(AppConfig app, TextEmbedder embedder, PrintWriter out) throws InterruptedException {
        String collection = RoleResources.collection(app.store(), embedder);
        Path directory = app.store().embeddedDir().resolve(collection);
        if (Files.exists(directory)) {
            spec.commandLine().getErr().println("Index directory " + directory + " exists already (in use by an app"
                    + " on this model, or left by an interrupted reindex); remove it first if it is not in use.");
            return 1;
        }
        try (LuceneVectorStore store = LuceneVectorStore.open(directory, app.store().lucene())) {
            store.ensureCollection(embedder.dimension());
            ReindexResult result = reindexer(app, embedder, store, collection).run(progress(out));
            summary(out, result, directory.toString());
            Optional<String> problem = ingestProblem(app, result);
            if (problem.isPresent()) {
                spec.commandLine().getErr().println("Do not serve from " + directory + ": " + problem.get()
                        + ". Delete the directory and run reindex again after stopping the ingest.");
                return 1;
            }
        }
        out.println("Restart the app with models.embedder=" + embedderSpec + " to serve from it.");
        return 0;
    }

    private int intoQdrant(AppConfig app, TextEmbedder embedder, PrintWriter out) throws InterruptedException {
        StoreSettings store = app.store();
        String alias = store.collectionPrefix();
        QdrantConfig base = RoleResources.qdrantConfig(store, alias);
        try (QdrantClient client = QdrantVectorStore.newClient(base)) {
            QdrantCollections collections = QdrantCollections.of(client, base);
            String target = QdrantCollections.collectionName(alias, embedder.modelName(), embedder.dimension());
            Optional<String> previous = collections.aliasTarget(alias);
            if (previous.isEmpty() && collections.resolve(alias).isPresent()) {
                spec.commandLine().getErr().println("Qdrant collection " + alias + " is a plain collection, not an"
                        + " alias: an alias cannot take its name. Rename it (or copy it into " + alias
                        + "_<model>_<dim>) first.");
                return 1;
            }
            if (previous.filter(target::equals).isPresent()) {
                spec.commandLine().getErr().println("Alias " + alias + " already serves " + target
                        + ": nothing to reindex for this model.");
                return 1;
            }
            if (collections.listCollections().contains(target)) {
                // nobody serves from it (the alias points elsewhere): a leftover of an interrupted reindex
                out.println("Deleting " + target + ", left by an earlier reindex");
                collections.deleteCollection(target);
            }
            collections.createCollection(target, embedder.dimension());
            ReindexResult result;
            try (QdrantVectorStore writer = new QdrantVectorStore(client, base.withCollection(target))) {
                result = reindexer(app, embedder, writer, target).run(progress(out));
            }
            summary(out, result, target);

            Optional<String> problem = ingestProblem(app, result);
            if (problem.isPresent()) {
                spec.commandLine().getErr().println("Not switching alias " + alias + ": " + problem.get()
                        + ". " + target + " is kept; run reindex again after stopping the ingest.");
                return 1;
            }
            collections.switchAlias(alias, target);
            out.println("Alias " + alias + " now points at " + target
                    + previous.map(old -> " (was " + old + ")").orElse(""));
            if (previous.isPresent()) {
                if (deleteOld) {
                    collections.deleteCollection(previous.get());
                    out.println("Deleted " + previous.get());
                } else {
                    out.println("Kept " + previous.get() + " for rollback: switch the alias back to it, or"
                            + " delete it when the new model is settled.");
                }
            }
            out.println("Now restart the QA workers, then the ingest workers, with models.embedder="
                    + embedderSpec + ".");
            return 0;
        }
    }

    private static Optional<String> ingestProblem(AppConfig app, ReindexResult result) throws InterruptedException {
        try (Admin admin = Admin.create(app.kafka().clientConfig())) {
            return IngestGroupCheck.problem(admin, app.ingest().applicationId(), result.endOffsets());
        }
    }

    private Reindexer reindexer(AppConfig app, TextEmbedder embedder, VectorStore store,
                                String collection) {
        SpecificAvroSerde<DocumentChange> serde = new SpecificAvroSerde<>(DocumentChange.class);
        serde.configure(app.registry().serdeConfig(), false);
        return new Reindexer(app.kafka().clientConfig(), serde.deserializer(),
                List.of(app.topics().documents(), app.topics().capturedDocuments()), embedder,
                store, collection, app.ingest().chunking(), app.ingest().maxBodyChars(), batchSize);
    }

    private static Consumer<ReindexResult> progress(PrintWriter out) {
        return result -> {
            out.printf("  %d documents, %d chunks%n", result.documents(), result.chunks());
            out.flush();
        };
    }

    private static void summary(PrintWriter out, ReindexResult result, String where) {
        out.printf("Indexed %d documents (%d chunks) into %s from %d records; %d deleted, %d skipped; snapshot %s%n",
                result.documents(), result.chunks(), where, result.records(), result.deleted(), result.skipped(),
                result.endOffsets());
        out.flush();
    }

    /** As the ingest and QA roles open it ({@code RoleResources.embedder}), so the model name matches theirs. */
    private static TextEmbedder openEmbedder(String spec, AppConfig config) throws IOException {
        ModelFactory models = new ModelFactory(config.models());
        return models.openEmbedder(models.embedderSpec(spec), EmbedderOptions.defaults());
    }
}
