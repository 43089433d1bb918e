package io.streamrag.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.contracts.Answer;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.contracts.Operation;
import io.streamrag.contracts.Question;
import io.streamrag.inference.embed.BatchingEmbedder;
import io.streamrag.inference.embed.EmbedderOptions;
import io.streamrag.inference.embed.Embedders;
import io.streamrag.inference.embed.ForwardingTextEmbedder;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.inference.worker.BatchingSettings;
import io.streamrag.kafka.EmbeddedKafkaBroker;
import io.streamrag.qa.QaPipeline;
import io.streamrag.qa.QaSettings;
import io.streamrag.qa.SquadSample;
import io.streamrag.qa.SquadSample.AnswerableQuestion;
import io.streamrag.qa.SquadSample.Paragraph;
import io.streamrag.serde.SpecificAvroSerde;
import io.streamrag.store.lucene.LuceneVectorStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Questions first (issue 17): QA latency on the real embedded broker with the default embedder behind its shared
 * batching worker, at a fixed rate (default: half the QA saturation throughput), (a) with the ingest idle and (b)
 * while a bulk load keeps the embedder's bulk lane full (one caller embedding 256 SQuAD passages per call in a loop,
 * as the ingest's {@code BatchIndexer} calls it), each without and with question priority, all in one run. Then the
 * latency of questions with a consistency token: one already satisfied, and one whose write is applied while it
 * waits (latency counted from the write's {@code IndexUpdate}). Not a test: prints Markdown tables.
 *
 * <pre>
 * java ... io.streamrag.bench.QaPriorityBench [questions per phase, 100] [rate q/s, 0: half the saturation]
 * </pre>
 */
public final class QaPriorityBench {

    private static final String REGISTRY = "mock://qa-priority-bench";
    private static final int BULK_TEXTS_PER_CALL = 256;

    public static void main(String[] args) throws Exception {
        int questions = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        double requestedRate = args.length > 1 ? Double.parseDouble(args[1]) : 0;
        Path scratch = Files.createTempDirectory("qa-priority-bench");
        SquadSample squad = SquadSample.load();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicBoolean priority = new AtomicBoolean(true);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(scratch.resolve("kafka")).build().start();
             BatchingEmbedder shared = BatchingEmbedder.wrap(Embedders.open(Embedders.DEFAULT,
                     EmbedderOptions.defaults()), BatchingSettings.defaults(), registry);
             LuceneVectorStore store = LuceneVectorStore.open(scratch.resolve("lucene"))) {
            QaBench.index(squad, shared, store);
            String indexUpdates = "bench-index-updates";
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(indexUpdates, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            QaSettings settings = io.streamrag.app.config.AppConfig.defaults().qa().withTopics("bench-questions", "bench-answers", "bench-dead-letters")
                    .withRetrieval(5, 50, 0.0)
                    .withBatching(16, Duration.ofMillis(5))
                    .withDefaultDeadline(Duration.ofMinutes(30));
            TextEmbedder questionEmbedder = new LaneSwitch(shared, priority);
            List<AnswerableQuestion> pool = squad.questions();
            try (QaPipeline pipeline = new QaPipeline(broker.bootstrapServers(), REGISTRY, "bench-", settings,
                         questionEmbedder, store, null, registry, scratch.resolve("state"), 1, indexUpdates);
                 KafkaProducer<String, IndexUpdate> updates = updateProducer(broker.bootstrapServers());
                 BulkLoad bulk = new BulkLoad(shared, squad.paragraphs())) {
                for (AnswerableQuestion q : pool) {
                    updates.send(new ProducerRecord<>(indexUpdates, q.goldDocumentId(), update(q.goldDocumentId(), 1)));
                }
                updates.flush();
                AtomicInteger sequence = new AtomicInteger();
                QaBench.burst(pipeline, pool, 20, sequence); // warm-up

                QaBench.Result saturation = QaBench.burst(pipeline, pool, questions, sequence);
                double throughput = questions / (saturation.wallNanos() / 1e9);
                double rate = requestedRate > 0 ? requestedRate : throughput / 2;

                List<String> rows = new ArrayList<>();
                for (boolean bulkOn : new boolean[] {false, true}) {
                    for (boolean first : new boolean[] {false, true}) {
                        priority.set(first);
                        bulk.running(bulkOn);
                        long passages = bulk.embedded();
                        long start = System.nanoTime();
                        QaBench.Result paced = QaBench.paced(pipeline, pool, questions, rate, sequence);
                        double seconds = (System.nanoTime() - start) / 1e9;
                        rows.add(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f |",
                                bulkOn ? "(b) bulk load" : "(a) idle ingest", first ? "on" : "off",
                                QaBench.percentile(paced.endToEndMs(), 50), QaBench.percentile(paced.endToEndMs(), 95),
                                QaBench.percentile(paced.endToEndMs(), 99), (bulk.embedded() - passages) / seconds));
                    }
                }
                bulk.running(false);
                priority.set(true);

                QaBench.Result plain = QaBench.paced(pipeline, pool, questions, rate, sequence);
                QaBench.Result satisfied = QaBench.paced(pipeline, questions, rate, n -> {
                    AnswerableQuestion q = pool.get(n % pool.size());
                    return Question.newBuilder(QaBench.question(q, n))
                            .setConsistencyToken(q.goldDocumentId() + "@1").build();
                }, sequence);
                double[] afterWrite = waitingForWrites(pipeline, updates, indexUpdates, pool,
                        Math.max(10, questions / 5), sequence);

                System.out.printf(Locale.ROOT, "%n## Questions first: %d questions per phase at %.1f q/s "
                        + "(saturation %.1f q/s), extractive, k 5, %s%n%n", questions, rate, throughput,
                        squad.source());
                System.out.println("| ingest | question priority | p50 (ms) | p95 (ms) | p99 (ms) | bulk passages/s |");
                System.out.println("|---|---|---:|---:|---:|---:|");
                rows.forEach(System.out::println);
                System.out.println();
                System.out.println("| question (idle ingest, priority on) | p50 (ms) | p95 (ms) | p99 (ms) |");
                System.out.println("|---|---:|---:|---:|");
                QaBench.row("no token", plain.endToEndMs());
                QaBench.row("satisfied token (`doc@1`, applied before)", satisfied.endToEndMs());
                QaBench.row("token applied while it waits: write's IndexUpdate sent to answer", afterWrite);
            }
        }
    }

    /**
     * One question at a time naming a version not applied yet; 100 ms later that version's IndexUpdate is sent.
     * Returns, per question, the time from sending the update to reading the answer.
     */
    private static double[] waitingForWrites(QaPipeline pipeline, KafkaProducer<String, IndexUpdate> updates,
                                             String topic, List<AnswerableQuestion> pool, int count,
                                             AtomicInteger sequence) throws InterruptedException {
        double[] latencies = new double[count];
        for (int i = 0; i < count; i++) {
            int n = sequence.getAndIncrement();
            AnswerableQuestion q = pool.get(n % pool.size());
            long version = 2 + n;
            Question question = Question.newBuilder(QaBench.question(q, n))
                    .setConsistencyToken(q.goldDocumentId() + "@" + version).build();
            pipeline.ask(question);
            pipeline.flush();
            Thread.sleep(100);
            updates.send(new ProducerRecord<>(topic, q.goldDocumentId(), update(q.goldDocumentId(), version)));
            updates.flush();
            long sent = System.nanoTime();
            AtomicLong answeredAt = new AtomicLong();
            pipeline.await(Set.of(question.getQuestionId()), Duration.ofMinutes(1), (answer, at) -> answeredAt.set(at));
            latencies[i] = (answeredAt.get() - sent) / 1e6;
        }
        return latencies;
    }

    private static IndexUpdate update(String documentId, long version) {
        Instant now = Instant.now();
        return IndexUpdate.newBuilder().setDocumentId(documentId).setVersion(version).setOperation(Operation.UPDATE)
                .setChunkCount(1).setSourceTime(now).setAppliedTime(now).build();
    }

    private static KafkaProducer<String, IndexUpdate> updateProducer(String bootstrapServers) {
        SpecificAvroSerde<IndexUpdate> serde = new SpecificAvroSerde<>(IndexUpdate.class);
        serde.configure(Map.of("schema.registry.url", REGISTRY), false);
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 1), new StringSerializer(), serde.serializer());
    }

    /** The QA role's embedder with {@code qa.priority} switchable between phases. */
    private static final class LaneSwitch extends ForwardingTextEmbedder {
        private final TextEmbedder questions;
        private final AtomicBoolean priority;

        LaneSwitch(BatchingEmbedder shared, AtomicBoolean priority) {
            super(shared);
            this.questions = shared.forQuestions();
            this.priority = priority;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            return priority.get() ? questions.embed(texts) : super.embed(texts);
        }

        @Override
        public void close() {
        }
    }

    /** Keeps the embedder's bulk lane busy as the ingest would: 256 passages per call, one call after another. */
    private static final class BulkLoad implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicLong embedded = new AtomicLong();
        private final Thread thread;

        BulkLoad(BatchingEmbedder embedder, List<Paragraph> paragraphs) {
            List<String> texts = paragraphs.stream().map(p -> p.title() + ". " + p.text()).toList();
            thread = new Thread(() -> {
                int from = 0;
                while (!closed.get()) {
                    if (!running.get()) {
                        sleep();
                        continue;
                    }
                    List<String> call = new ArrayList<>(BULK_TEXTS_PER_CALL);
                    for (int i = 0; i < BULK_TEXTS_PER_CALL; i++) {
                        call.add(texts.get((from + i) % texts.size()));
                    }
                    from += BULK_TEXTS_PER_CALL;
                    embedder.embed(call);
                    embedded.addAndGet(call.size());
                }
            }, "bulk-load");
            thread.setDaemon(true);
            thread.start();
        }

        void running(boolean on) {
            running.set(on);
        }

        long embedded() {
            return embedded.get();
        }

        private static void sleep() {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() throws InterruptedException {
            closed.set(true);
            thread.join(TimeUnit.MINUTES.toMillis(2));
        }
    }
}
