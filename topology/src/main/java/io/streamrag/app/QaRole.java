package io.streamrag.app;

import io.streamrag.app.config.AppConfig;
import io.streamrag.contracts.Answer;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.contracts.Question;
import io.streamrag.inference.embed.BatchingEmbedder;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.inference.generate.TextGenerator;
import io.streamrag.inference.rerank.CrossEncoder;
import io.streamrag.qa.KafkaTopicDirectory;
import io.streamrag.qa.QaSerdes;
import io.streamrag.qa.QaTopology;
import io.streamrag.qa.rerank.RerankingStore;
import io.streamrag.store.VectorStore;
import java.io.IOException;
import org.apache.kafka.streams.Topology;

/**
 * The QA role for the application runtime: opens the embedder, the vector store (the collection the ingest role
 * writes for the same embedding model), the reranker when {@code models.reranker} is set and the generator when
 * {@code models.generator} is set (extractive answers otherwise), all closed by the runtime after the Streams
 * instance, and builds {@link QaTopology} from {@code AppConfig.qa()}.
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
        ModelFactory models = new ModelFactory(config.models());
        TextEmbedder shared = RoleResources.embedder(context);
        VectorStore store = RoleResources.store(context, shared);
        // questions ahead of the ingest's queued batches on the embedder both roles share (qa.priority)
        TextEmbedder embedder = config.qa().priority() && shared instanceof BatchingEmbedder batching
                ? batching.forQuestions() : shared;
        if (config.models().reranker().isPresent()) {
            CrossEncoder reranker = context.closeOnShutdown(models.openReranker());
            store = new RerankingStore(store, reranker::score, config.models().rerankCandidates());
        }
        TextGenerator generator = config.models().generator().isPresent()
                ? context.closeOnShutdown(models.openGenerator()) : null;
        QaSerdes serdes = new QaSerdes(context.valueSerde(Question.class), context.valueSerde(Answer.class),
                context.deadLetterSerde());
        KafkaTopicDirectory replyTopics = context.closeOnShutdown(
                KafkaTopicDirectory.connect(context::kafkaClientConfig, config.kafka().adminTimeout()));
        return new QaTopology(config.qa(), serdes, embedder, store, generator, context.meterRegistry())
                .withReplyTopicDirectory(replyTopics).withFailureLedger(context.failureLedger())
                .withReadYourWrites(config.topics().indexUpdates(), context.valueSerde(IndexUpdate.class))
                .build();
    }
}
