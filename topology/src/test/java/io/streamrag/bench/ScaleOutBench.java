package io.streamrag.bench;

import io.streamrag.contracts.Answer;
import io.streamrag.contracts.AnswerStatus;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.contracts.Operation;
import io.streamrag.contracts.Question;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.IngestSettings;
import io.streamrag.ingest.IngestStreams;
import io.streamrag.kafka.EmbeddedKafkaBroker;
import io.streamrag.qa.QaInstances;
import io.streamrag.qa.QaSettings;
import io.streamrag.qa.SquadSample;
import io.streamrag.qa.SquadSample.AnswerableQuestion;
import io.streamrag.qa.SquadSample.Paragraph;
import io.streamrag.serde.registry.EmbeddedSchemaRegistryServer;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.VectorStore;
import io.streamrag.store.qdrant.QdrantGrpcDouble;
import io.streamrag.store.qdrant.QdrantVectorStore;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Scale-out on one machine: ingest throughput with 1 vs 2 ingest instances, QA throughput with 1 vs 2 QA instances,
 * and how long a QA instance's partitions go unanswered when it dies. Every instance is its own JVM
 * ({@link ScaleOutInstance}: the scale-out ITs' rigs, one model copy per process), so its CPU time is the
 * process's and a death is a real SIGKILL. The driver JVM holds the embedded broker, the embedded schema registry
 * and the Qdrant gRPC double that all instances share, and produces and reads. Not a test: prints Markdown tables.
 *
 * <pre>
 * java -cp ... io.streamrag.bench.ScaleOutBench [bow|minilm] [rounds] [documents] [questions]
 *     -Dbench.parts=ingest,qa,gap  -Dbench.gaps=kill:6000:10000,kill:45000:60000,term:45000:60000
 *     -Dbench.gapRate=10 (questions/s while an instance dies)  -Dbench.onnxThreads=0
 * </pre>
 * Throughput: each round runs 1 then 2 instances (the next round 2 then 1, so a change in the machine's load
 * hits both), each on fresh topics of six partitions; the clock runs from the first record sent, once every
 * instance is RUNNING with the partitions split, to the last result read (committed). A gap: two QA instances,
 * questions at a steady rate, one instance killed (SIGKILL) or stopped (SIGTERM, leaving the group); for each of its
 * partitions, the time from the death to the first answer to a question asked after it.
 */
public final class ScaleOutBench {

    private static final int TOPIC_PARTITIONS = ScaleOutWorkload.PARTITIONS;

    private final String embedderKind;
    private final Path work;
    private final EmbeddedKafkaBroker broker;
    private final String registry;
    private final QdrantGrpcDouble qdrant;
    /** The driver's own copy of the instances' embedder: indexes the QA passages, knows the dimension. */
    private final TextEmbedder embedder;
    private int runs;

    private ScaleOutBench(String embedderKind, Path work, EmbeddedKafkaBroker broker, String registry,
                          QdrantGrpcDouble qdrant, TextEmbedder embedder) {
        this.embedderKind = embedderKind;
        this.embedder = embedder;
        this.work = work;
        this.broker = broker;
        this.registry = registry;
        this.qdrant = qdrant;
    }

    record Throughput(String role, int round, int instances, int items, long chunks, double seconds,
                      List<Double> instanceCpu, double driverCpu, double load) {
    }

    record Gap(String death, long sessionMs, long transactionMs, Set<Integer> deadPartitions,
               Map<Integer, Long> firstAnswerMs, long survivorFirstAnswerMs, int asked, int answered,
               int duplicates, int notOk) {
    }

    public static void main(String[] args) throws Exception {
        String embedderKind = args.length > 0 ? args[0] : "bow";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int documents = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        int questions = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        Set<String> parts = Set.of(System.getProperty("bench.parts", "ingest,qa,gap").split(","));
        Path work = Files.createTempDirectory("scale-out-bench");
        Files.createDirectories(work.resolve("registry"));
        SquadSample squad = SquadSample.load();
        double loadAtStart = load();
        List<Throughput> throughput = new ArrayList<>();
        List<Gap> gaps = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(work.resolve("kafka")).build().start();
             EmbeddedSchemaRegistryServer registry = EmbeddedSchemaRegistryServer.start(work.resolve("registry"), 0);
             QdrantGrpcDouble qdrant = QdrantGrpcDouble.start();
             TextEmbedder embedder = ScaleOutWorkload.embedder(embedderKind)) {
            ScaleOutBench bench = new ScaleOutBench(embedderKind, work, broker, registry.url(), qdrant, embedder);
            for (int round = 1; round <= rounds; round++) {
                List<Integer> order = round % 2 == 1 ? List.of(1, 2) : List.of(2, 1);
                for (int instances : order) {
                    if (parts.contains("ingest")) {
                        throughput.add(bench.ingest(round, instances, squad.paragraphs(), documents));
                        System.out.println(throughput.get(throughput.size() - 1));
                    }
                }
            }
            String passages = parts.contains("qa") || parts.contains("gap") ? bench.indexPassages(squad) : null;
            for (int round = 1; round <= rounds && parts.contains("qa"); round++) {
                List<Integer> order = round % 2 == 1 ? List.of(1, 2) : List.of(2, 1);
                for (int instances : order) {
                    throughput.add(bench.qa(round, instances, passages, squad.questions(), questions));
                    System.out.println(throughput.get(throughput.size() - 1));
                }
            }
            if (parts.contains("gap")) {
                for (String spec : System.getProperty("bench.gaps", "kill:6000:10000,kill:45000:60000,"
                        + "term:45000:60000").split(",")) {
                    String[] fields = spec.split(":");
                    gaps.add(bench.gap(fields[0], Long.parseLong(fields[1]), Long.parseLong(fields[2]), passages,
                            squad.questions(), Double.parseDouble(System.getProperty("bench.gapRate", "10"))));
                    System.out.println(gaps.get(gaps.size() - 1));
                }
            }
        }
        print(embedderKind, throughput, gaps, loadAtStart, load(), work);
    }

    private Throughput ingest(int round, int instances, List<Paragraph> paragraphs, int documents)
            throws Exception {
        String prefix = "ingest-" + (++runs) + "-";
        IngestSettings settings = ScaleOutWorkload.ingestSettings(prefix);
        String collection = prefix.replace('-', '_') + "chunks";
        createTopics(List.of(new NewTopic(settings.documentChangeTopics().get(0), TOPIC_PARTITIONS, (short) 1),
                new NewTopic(settings.indexUpdatesTopic(), TOPIC_PARTITIONS, (short) 1),
                new NewTopic(settings.deadLetterTopic(), 1, (short) 1)));
        try (VectorStore store = QdrantVectorStore.connect(qdrant.config(collection))) {
            store.ensureCollection(embedder.dimension());
        }
        List<InstanceProcess> processes = startInstances("ingest", prefix, collection, instances, 45_000, 60_000);
        try (KafkaProducer<String, DocumentChange> producer = IngestStreams.producer(broker.bootstrapServers(),
                registry);
             KafkaConsumer<String, IndexUpdate> updates = IngestStreams.updatesConsumer(broker.bootstrapServers(),
                     registry, settings.indexUpdatesTopic())) {
            awaitSplit(processes);
            updates.poll(Duration.ofMillis(100)); // joins its group before the clock starts
            Cpu cpu = Cpu.start(processes);
            for (int i = 0; i < documents; i++) {
                Paragraph paragraph = paragraphs.get(i % paragraphs.size());
                String id = "doc-" + i;
                producer.send(new ProducerRecord<>(settings.documentChangeTopics().get(0), id,
                        DocumentChange.newBuilder().setOperation(Operation.CREATE).setDocumentId(id).setVersion(1)
                                .setTitle(paragraph.title()).setBody(paragraph.text()).setTenant("bench")
                                .setMetadata(Map.of()).setEventTime(Instant.now()).build()));
            }
            producer.flush();
            Set<String> applied = new HashSet<>();
            long chunks = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
            while (applied.size() < documents) {
                require(System.nanoTime() < deadline, "only " + applied.size() + " of " + documents + " applied");
                for (ConsumerRecord<String, IndexUpdate> record : updates.poll(Duration.ofMillis(100))) {
                    if (applied.add(record.key())) {
                        chunks += record.value().getChunkCount();
                    }
                }
            }
            return cpu.stop("ingest", round, instances, documents, chunks);
        } finally {
            stopAll(processes);
        }
    }

    /** The SQuAD paragraphs, one point each, in one collection that every QA run reads. */
    private String indexPassages(SquadSample squad) throws Exception {
        String collection = "qa_passages";
        try (VectorStore store = QdrantVectorStore.connect(qdrant.config(collection))) {
            store.ensureCollection(embedder.dimension());
            List<Paragraph> paragraphs = squad.paragraphs();
            for (int from = 0; from < paragraphs.size(); from += 32) {
                List<Paragraph> batch = paragraphs.subList(from, Math.min(paragraphs.size(), from + 32));
                List<float[]> vectors = embedder.embed(batch.stream().map(Paragraph::text).toList());
                for (int i = 0; i < batch.size(); i++) {
                    Paragraph paragraph = batch.get(i);
                    String chunkId = UUID.nameUUIDFromBytes((paragraph.documentId() + "#0")
                            .getBytes(StandardCharsets.UTF_8)).toString();
                    store.replaceDocument(paragraph.documentId(), List.of(new StoredChunk(chunkId,
                            paragraph.documentId(), 0, 1, paragraph.title(), paragraph.text(), null, Map.of(),
                            vectors.get(i))));
                }
            }
            store.flush();
        }
        return collection;
    }

    private Throughput qa(int round, int instances, String passages, List<AnswerableQuestion> pool, int questions)
            throws Exception {
        String prefix = "qa-" + (++runs) + "-";
        QaInstances rig = new QaInstances(broker.bootstrapServers(), registry, ScaleOutWorkload.qaSettings(prefix),
                Duration.ofSeconds(45));
        rig.createTopics(TOPIC_PARTITIONS);
        List<InstanceProcess> processes = startInstances("qa", prefix, passages, instances, 45_000, 60_000);
        try (KafkaProducer<String, Question> producer = rig.questionProducer();
             KafkaConsumer<String, Answer> answers = rig.committedAnswers()) {
            awaitSplit(processes);
            // warm-up: every partition's task answers a few questions (JIT, model, first store calls)
            ask(producer, rig.settings(), pool, "warm-", 0, 4 * TOPIC_PARTITIONS, null);
            collectAnswers(answers, 4 * TOPIC_PARTITIONS, Duration.ofMinutes(10));
            Cpu cpu = Cpu.start(processes);
            ask(producer, rig.settings(), pool, "q-", 0, questions, null);
            collectAnswers(answers, questions, Duration.ofMinutes(20));
            return cpu.stop("qa", round, instances, questions, 0);
        } finally {
            stopAll(processes);
        }
    }

    private Gap gap(String death, long sessionMs, long transactionMs, String passages, List<AnswerableQuestion> pool,
                    double rate) throws Exception {
        String prefix = "gap-" + (++runs) + "-";
        QaInstances rig = new QaInstances(broker.bootstrapServers(), registry, ScaleOutWorkload.qaSettings(prefix),
                Duration.ofMillis(sessionMs));
        rig.createTopics(TOPIC_PARTITIONS);
        List<InstanceProcess> processes = startInstances("qa", prefix, passages, 2, sessionMs, transactionMs);
        Map<String, Integer> partitionOf = new ConcurrentHashMap<>();
        Map<String, Long> askedAt = new ConcurrentHashMap<>();
        AtomicBoolean asking = new AtomicBoolean(true);
        try (KafkaProducer<String, Question> producer = rig.questionProducer();
             KafkaConsumer<String, Answer> answers = rig.committedAnswers()) {
            awaitSplit(processes);
            InstanceProcess doomed = processes.get(0);
            Thread asker = new Thread(() -> {
                long intervalNanos = (long) (1e9 / rate);
                long start = System.nanoTime();
                for (int i = 0; asking.get(); i++) {
                    long due = start + i * intervalNanos;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    ask(producer, rig.settings(), pool, "q-", i, i + 1, (id, partition) -> {
                        partitionOf.put(id, partition);
                    });
                    askedAt.put("q-" + i, System.nanoTime());
                }
            }, "gap-asker");
            asker.start();
            Map<String, Integer> answered = new HashMap<>();
            Map<String, Long> answeredAt = new HashMap<>();
            int[] notOk = new int[1];
            long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            while (System.nanoTime() < warm) {
                poll(answers, answered, answeredAt, notOk);
            }
            Set<Integer> dead = doomed.partitions();
            long diedAt = System.nanoTime();
            if (death.equals("kill")) {
                doomed.kill();
            } else {
                doomed.stop();
            }
            Map<Integer, Long> firstAnswer = new HashMap<>();
            long survivorFirst = -1;
            long deadline = diedAt + TimeUnit.MILLISECONDS.toNanos(sessionMs + transactionMs) + TimeUnit.SECONDS
                    .toNanos(120);
            while (firstAnswer.size() < dead.size() && System.nanoTime() < deadline) {
                for (String id : poll(answers, answered, answeredAt, notOk)) {
                    Long asked = askedAt.get(id);
                    Integer partition = partitionOf.get(id);
                    if (asked == null || partition == null || asked < diedAt) {
                        continue;
                    }
                    long afterDeath = TimeUnit.NANOSECONDS.toMillis(answeredAt.get(id) - diedAt);
                    if (dead.contains(partition)) {
                        firstAnswer.putIfAbsent(partition, afterDeath);
                    } else if (survivorFirst < 0) {
                        survivorFirst = afterDeath;
                    }
                }
            }
            asking.set(false);
            asker.join();
            producer.flush();
            int asked = askedAt.size();
            long drain = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (answered.size() < asked && System.nanoTime() < drain) {
                poll(answers, answered, answeredAt, notOk);
            }
            for (int i = 0; i < 10; i++) {
                poll(answers, answered, answeredAt, notOk); // a late duplicate would still show
            }
            int duplicates = (int) answered.values().stream().filter(count -> count > 1).count();
            return new Gap(death, sessionMs, transactionMs, dead, firstAnswer, survivorFirst, asked,
                    answered.size(), duplicates, notOk[0]);
        } finally {
            asking.set(false);
            stopAll(processes);
        }
    }

    /** Polls once; returns the ids of the questions answered in this poll. */
    private static List<String> poll(KafkaConsumer<String, Answer> answers, Map<String, Integer> answered,
                                     Map<String, Long> answeredAt, int[] notOk) {
        List<String> ids = new ArrayList<>();
        for (ConsumerRecord<String, Answer> record : answers.poll(Duration.ofMillis(20))) {
            String id = record.value().getQuestionId();
            if (answered.merge(id, 1, Integer::sum) == 1) {
                answeredAt.put(id, System.nanoTime());
                ids.add(id);
            }
            if (record.value().getStatus() != AnswerStatus.OK) {
                notOk[0]++;
            }
        }
        return ids;
    }

    private static void collectAnswers(KafkaConsumer<String, Answer> answers, int count, Duration timeout) {
        Map<String, Integer> answered = new HashMap<>();
        Map<String, Long> answeredAt = new HashMap<>();
        int[] notOk = new int[1];
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (seen < count) {
            require(System.nanoTime() < deadline, "only " + seen + " of " + count + " answers");
            seen += poll(answers, answered, answeredAt, notOk).size();
        }
        require(notOk[0] == 0, notOk[0] + " answers not OK");
    }

    private static void ask(KafkaProducer<String, Question> producer, QaSettings settings,
                            List<AnswerableQuestion> pool, String idPrefix, int from, int to,
                            java.util.function.BiConsumer<String, Integer> partitionOf) {
        for (int i = from; i < to; i++) {
            String id = idPrefix + i;
            Question question = Question.newBuilder().setQuestionId(id).setText(pool.get(i % pool.size()).text())
                    .setRequestedAt(Instant.now()).build();
            producer.send(new ProducerRecord<>(settings.questionsTopic(), id, question), (metadata, error) -> {
                if (error == null && partitionOf != null) {
                    partitionOf.accept(id, metadata.partition());
                }
            });
        }
        if (partitionOf == null) {
            producer.flush();
        }
    }

    private List<InstanceProcess> startInstances(String role, String prefix, String collection, int count,
                                                 long sessionMs, long transactionMs) throws Exception {
        List<InstanceProcess> processes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = prefix + role + "-" + (char) ('a' + i);
            processes.add(InstanceProcess.start(name, work.resolve("logs"), List.of(role,
                    broker.bootstrapServers(), registry, qdrant.host(), Integer.toString(qdrant.port()), collection,
                    prefix, name, work.resolve("state-" + name).toString(), embedderKind, Long.toString(sessionMs),
                    Long.toString(transactionMs))));
        }
        return processes;
    }

    /** Waits until every instance is RUNNING and their partitions split the input topic exactly. */
    private static void awaitSplit(List<InstanceProcess> processes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (true) {
            Set<Integer> owned = new TreeSet<>();
            int total = 0;
            boolean allRunning = true;
            for (InstanceProcess process : processes) {
                allRunning &= process.running();
                owned.addAll(process.partitions());
                total += process.partitions().size();
            }
            if (allRunning && owned.size() == TOPIC_PARTITIONS && total == TOPIC_PARTITIONS
                    && processes.stream().noneMatch(p -> p.partitions().isEmpty())) {
                return;
            }
            require(System.nanoTime() < deadline, "instances did not settle: " + processes);
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private static void stopAll(List<InstanceProcess> processes) throws InterruptedException {
        for (InstanceProcess process : processes) {
            process.stop();
        }
    }

    private void createTopics(List<NewTopic> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** CPU time of the instances and of this driver JVM over one measured window. */
    private record Cpu(List<InstanceProcess> processes, long[] instanceStart, long driverStart, long wallStart) {

        static Cpu start(List<InstanceProcess> processes) {
            return new Cpu(processes, processes.stream().mapToLong(InstanceProcess::cpuNanos).toArray(),
                    driverCpuNanos(), System.nanoTime());
        }

        Throughput stop(String role, int round, int instances, int items, long chunks) {
            long wall = System.nanoTime() - wallStart;
            List<Double> perInstance = new ArrayList<>();
            for (int i = 0; i < processes.size(); i++) {
                perInstance.add((processes.get(i).cpuNanos() - instanceStart[i]) / (double) wall);
            }
            return new Throughput(role, round, instances, items, chunks, wall / 1e9, perInstance,
                    (driverCpuNanos() - driverStart) / (double) wall, load());
        }
    }

    private static long driverCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    private static void print(String embedderKind, List<Throughput> throughput, List<Gap> gaps, double loadAtStart,
                              double loadAtEnd, Path work) {
        System.out.printf(Locale.ROOT, "%n## Scale-out bench: embedder %s, %d partitions, %d cores, load average %.1f"
                + " at start, %.1f at end; instance logs in %s%n%n", embedderKind, TOPIC_PARTITIONS,
                Runtime.getRuntime().availableProcessors(), loadAtStart, loadAtEnd, work.resolve("logs"));
        System.out.println("CPU = user+system time over the measured window, in cores (1.00 = one core busy);"
                + " driver = broker, registry, Qdrant double, producer and reader in the bench's own JVM.");
        System.out.println();
        System.out.println("| role | round | instances | items | wall s | items/s | CPU per instance | CPU instances"
                + " total | CPU driver | load avg |");
        System.out.println("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|");
        for (Throughput row : throughput) {
            String perInstance = String.join(" + ", row.instanceCpu().stream()
                    .map(cpu -> String.format(Locale.ROOT, "%.2f", cpu)).toList());
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %d %s | %.1f | %.1f | %s | %.2f | %.2f | %.1f |%n",
                    row.role(), row.round(), row.instances(), row.items(),
                    row.role().equals("ingest") ? "docs (" + row.chunks() + " chunks)" : "questions",
                    row.seconds(), row.items() / row.seconds(), perInstance,
                    row.instanceCpu().stream().mapToDouble(Double::doubleValue).sum(), row.driverCpu(), row.load());
        }
        if (gaps.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println("| death of 1 of 2 QA instances | session.timeout.ms | transaction.timeout.ms | its partitions"
                + " | first answer on them after (ms) | last of them answers after (ms) | survivor's partitions"
                + " answer after (ms) | asked | answered once | duplicates | not OK |");
        System.out.println("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Gap gap : gaps) {
            String missing = gap.firstAnswerMs().size() < gap.deadPartitions().size() ? " (some never answered)" : "";
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %s | %s | %s%s | %d | %d | %d | %d | %d |%n",
                    gap.death().equals("kill") ? "SIGKILL" : "SIGTERM (clean close, leaves the group)",
                    gap.sessionMs(), gap.transactionMs(), gap.deadPartitions(),
                    gap.firstAnswerMs().values().stream().min(Long::compare).map(String::valueOf).orElse("-"),
                    gap.firstAnswerMs().values().stream().max(Long::compare).map(String::valueOf).orElse("-"),
                    missing, gap.survivorFirstAnswerMs(), gap.asked(), gap.answered(), gap.duplicates(),
                    gap.notOk());
        }
        System.out.println();
        gaps.forEach(gap -> System.out.println(gap.death() + " " + gap.sessionMs() + "/" + gap.transactionMs()
                + ": per partition " + gap.firstAnswerMs()));
    }
}
