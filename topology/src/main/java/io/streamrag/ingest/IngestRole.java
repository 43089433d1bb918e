package io.streamrag.ingest;

import io.streamrag.app.Role;
import io.streamrag.app.RoleContext;
import io.streamrag.app.RoleResources;
import io.streamrag.app.RoleTopology;
import io.streamrag.app.config.AppConfig;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.batch.BatchingSettings;
import io.streamrag.ingest.cdc.CdcFieldMapping;
import io.streamrag.ingest.cdc.CdcFormat;
import io.streamrag.ingest.cdc.CdcSource;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.serde.GenericAvroDeserializer;
import io.streamrag.store.VectorStore;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.Topology;

/**
 * The ingest role for the application runtime: opens the embedder and the vector store named by the configuration
 * (closed by the runtime after the Streams instance), makes sure the collection exists, and builds
 * {@link IngestTopology}. The CDC sources are the named ones of {@code cdc.sources.<name>.*}, each with its own
 * format and column mapping, plus one per topic of {@code topics.cdc}, read as before: Debezium Avro events of a
 * table with the columns of {@link CdcFieldMapping#DOCUMENTS_TABLE}. Every CDC change the ingest takes is also
 * written to {@code topics.captured.documents}, for reindex.
 */
public final class IngestRole implements RoleTopology {

    /** Chunk texts per embed call; a larger batch is embedded in slices of this many. */
    static final int MAX_EMBED_TEXTS = 256;

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

    /** The ingest topology's settings from the application's configuration. */
    public static IngestSettings settings(AppConfig config, TextEmbedder embedder) {
        var ingest = config.ingest();
        List<CdcSource> cdc = new ArrayList<>(config.cdcSources());
        config.topics().cdcSources().stream()
                .map(topic -> new CdcSource(topic, List.of(topic), CdcFormat.AVRO, CdcFieldMapping.DOCUMENTS_TABLE))
                .forEach(cdc::add);
        return new IngestSettings(List.of(config.topics().documents()), cdc, config.topics().indexUpdates(),
                config.topics().deadLetters(),
                new ChunkingSettings(ingest.chunkSizeTokens(), ingest.chunkOverlapTokens()),
                new BatchingSettings(ingest.batchMaxSize(), ingest.batchMaxWait(), MAX_EMBED_TEXTS,
                        ingest.batchMaxTokens(), config.kafka().transactionTimeout().dividedBy(2)),
                ingest.maxBodyChars(), RoleResources.collection(config.store(), embedder),
                config.topics().capturedDocuments(), ingest.reuseVectors());
    }

    private static IngestSerdes serdes(RoleContext context) {
        GenericAvroDeserializer cdcRecords = new GenericAvroDeserializer();
        cdcRecords.configure(context.serdeConfig(), false);
        return new IngestSerdes(context.valueSerde(DocumentChange.class), context.valueSerde(IndexUpdate.class),
                context.deadLetterSerde(), cdcRecords);
    }
}
