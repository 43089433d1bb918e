package io.streamrag.app;

import io.streamrag.app.config.AppConfig;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.IngestSerdes;
import io.streamrag.ingest.IngestSettings;
import io.streamrag.ingest.IngestTopology;
import io.streamrag.serde.GenericAvroDeserializer;
import io.streamrag.store.VectorStore;
import java.io.IOException;
import java.time.Clock;
import org.apache.kafka.streams.Topology;

/**
 * The ingest role for the application runtime: opens the embedder and the vector store named by the configuration
 * (closed by the runtime after the Streams instance), makes sure the collection exists, and builds
 * {@link IngestTopology} from {@code AppConfig.ingest()} (its CDC sources: the named ones of
 * {@code cdc.sources.<name>.*} and one per topic of {@code topics.cdc}). Every CDC change the ingest takes is also
 * written to {@code topics.captured.documents}, for reindex.
 */
public final class IngestRole implements RoleTopology {

    @Override
    public Role role() {
        return Role.INGEST;
    }

    @Override
    public Topology build(RoleContext context) throws IOException {
        AppConfig config = context.config();
        TextEmbedder embedder = RoleResources.embedder(context);
        VectorStore store = RoleResources.store(context, embedder);
        return new IngestTopology(settings(config, embedder), serdes(context), embedder, store,
                context.meterRegistry(), Clock.systemUTC()).withFailureLedger(context.failureLedger()).build();
    }

    /** The ingest topology's settings: the configuration's, writing the collection of this embedder. */
    public static IngestSettings settings(AppConfig config, TextEmbedder embedder) {
        return config.ingest().withCollection(RoleResources.collection(config.store(), embedder));
    }

    private static IngestSerdes serdes(RoleContext context) {
        GenericAvroDeserializer cdcRecords = new GenericAvroDeserializer();
        cdcRecords.configure(context.serdeConfig(), false);
        return new IngestSerdes(context.valueSerde(DocumentChange.class), context.valueSerde(IndexUpdate.class),
                context.deadLetterSerde(), cdcRecords);
    }
}
