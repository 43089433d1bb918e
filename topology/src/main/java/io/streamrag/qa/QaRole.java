package io.streamrag.qa;

import io.streamrag.app.Role;
import io.streamrag.app.RoleContext;
import io.streamrag.app.RoleResources;
import io.streamrag.app.RoleTopology;
import io.streamrag.app.config.AppConfig;
import io.streamrag.app.config.ModelSource;
import io.streamrag.contracts.Answer;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.contracts.Question;
import io.streamrag.inference.bart.BartGenerator;
import io.streamrag.inference.bart.ComputePrecision;
import io.streamrag.inference.checkpoint.ModelLocator;
import io.streamrag.inference.device.ComputeDevice;
import io.streamrag.inference.embed.BatchingEmbedder;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.inference.generate.TextGenerator;
import io.streamrag.inference.rerank.CrossEncoder;
import io.streamrag.qa.rerank.RerankingStore;
import io.streamrag.store.VectorStore;
import java.io.IOException;
import org.apache.kafka.streams.Topology;

/**
 * The QA role for the application runtime: opens the embedder, the vector store (the collection the ingest role
 * writes for the same embedding model) and the generator when {@code models.generator} is set (extractive answers
 * otherwise), all closed by the runtime after the Streams instance, and builds {@link QaTopology}.
 *
 * <p>The embedder and store come from {@link RoleResources}, shared with the ingest role of the same process; with
 * {@code qa.priority} the QA role embeds in the embedder's interactive lane, ahead of queued indexing work.
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
        TextEmbedder shared = RoleResources.embedder(context);
        VectorStore store = RoleResources.store(context, shared);
        // questions ahead of the ingest's queued batches on the embedder both roles share (qa.priority)
        TextEmbedder embedder = config.qa().priority() && shared instanceof BatchingEmbedder batching
                ? batching.forQuestions() : shared;
        if (config.models().reranker().isPresent()) {
            CrossEncoder reranker = context.closeOnShutdown(openReranker(config));
            store = new RerankingStore(store, reranker::score, config.models().rerankCandidates());
        }
        TextGenerator generator = config.models().generator().isPresent()
                ? context.closeOnShutdown(openGenerator(config)) : null;
        QaSerdes serdes = new QaSerdes(context.valueSerde(Question.class), context.valueSerde(Answer.class),
                context.deadLetterSerde());
        KafkaTopicDirectory replyTopics = context.closeOnShutdown(
                KafkaTopicDirectory.connect(context::kafkaClientConfig, config.kafka().adminTimeout()));
        return new QaTopology(settings, serdes, embedder, store, generator, context.meterRegistry())
                .withReplyTopicDirectory(replyTopics).withFailureLedger(context.failureLedger())
                .withReadYourWrites(config.topics().indexUpdates(), context.valueSerde(IndexUpdate.class))
                .build();
    }

    /** The cross-encoder of {@code models.reranker}, on the configured device and precision. */
    public static CrossEncoder openReranker(AppConfig config) throws IOException {
        ModelSource source = config.models().reranker().orElseThrow();
        return CrossEncoder.load(ModelLocator.fromEnvironment().resolve(source.spec()),
                config.models().deviceSettings());
    }

    private static TextGenerator openGenerator(AppConfig config) throws IOException {
        ModelSource source = config.models().generator().orElseThrow();
        ComputeDevice device = config.models().device();
        device.requireAvailable();
        return BartGenerator.open(ModelLocator.fromEnvironment().resolve(source.spec()), device.toDjl(),
                ComputePrecision.parse(config.models().precision().name()));
    }
}
