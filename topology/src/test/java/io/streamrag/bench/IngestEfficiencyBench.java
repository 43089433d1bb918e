package io.streamrag.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.app.config.AppConfig;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.inference.embed.BatchingEmbedder;
import io.streamrag.inference.embed.EmbedderOptions;
import io.streamrag.inference.embed.Embedders;
import io.streamrag.inference.embed.ForwardingTextEmbedder;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.IngestSettings;
import io.streamrag.ingest.IngestStreams;
import io.streamrag.ingest.batch.BatchingSettings;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.kafka.EmbeddedKafkaBroker;
import io.streamrag.store.lucene.LuceneVectorStore;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * Ingest pipeline efficiency (issue 19): ingest chunks/s ÷ the raw embedder's chunks/s on the same chunks, in one
 * JVM, with {@code ingest.embed.overlap} off and on.
 *
 * <p>The embedder is production's: the bundled all-MiniLM-L6-v2 (ONNX Runtime, CPU) behind the shared
 * {@link BatchingEmbedder} worker. Each ingest run (embedded KRaft broker, exactly_once_v2, Lucene store; all
 * documents produced before the topology starts, timed from RUNNING to the last document applied) records the embed
 * calls it made; right after it, the same embedder instance is called directly with exactly those calls (same texts,
 * same grouping), back to back, and right before it with the previous run's calls (the same texts): the mean of the
 * two is the raw embedder on the same chunks, bracketing the run in time. The ratio is raw time ÷ ingest time
 * (= ingest chunks/s ÷ raw chunks/s). Rounds alternate the order (off, on / on, off) so that drifting load on a
 * shared machine does not favour one mode; a whole unreported ingest warms the JVM up first. Since the raw replays
 * run at other moments than the ingest, a load that changes from second to second moves the ratio; the table also
 * gives the embedder's busy share of the ingest's wall time (the ingest's own embedding time, {@code
 * streamrag.ingest.embed}, ÷ its wall time), taken in the same run under the same load: what the ratio would be if
 * the model ran at the same speed in both. Process CPU time is
 * measured over each phase too, and split by thread (stream thread, embedding lane, batching worker, broker, Lucene
 * merges; "native" is the rest of the process: ONNX Runtime's thread pool, GC, JIT).
 *
 * <pre>
 * ./mvnw -B -o -q -pl topology -am -DskipShade -DskipTests package dependency:build-classpath \
 *   -Dmdep.includeScope=test -DexcludeGroupIds=io.streamrag -Dmdep.outputFile=/tmp/bench.cp
 * java -Xmx4g -Dai.djl.offline=true -cp topology/target/test-classes:topology/target/classes:\
 *   inference/target/classes:schemas/target/classes:serde/target/classes:$(cat /tmp/bench.cp) \
 *   io.streamrag.bench.IngestEfficiencyBench 400 2
 * </pre>
 * Arguments: documents per ingest run (default 400), rounds (default 2; each round runs off and on).
 */
public final class IngestEfficiencyBench {

    private static final String REGISTRY = "mock://ingest-efficiency-bench";
    // as IngestBench (the figures of docs/benchmarks.md "Ingest topology end to end")
    private static final ChunkingSettings CHUNKING = IngestBench.CHUNKING;
    private static final BatchingSettings BATCHING = IngestBench.BATCHING;

    private IngestEfficiencyBench() {
    }

    record Row(boolean overlap, int documents, long chunksWritten, int texts, int calls, double ingestSeconds,
               double ingestCpuSeconds, double rawBeforeSeconds, double rawAfterSeconds, double rawCpuSeconds,
               Map<String, Double> ingestCpuByThread, Map<String, Double> rawCpuByThread,
               List<List<String>> recordedCalls, double embedSeconds) {

        /** Share of the ingest's wall time in which the model was embedding for it (same run, same load). */
        double busyShare() {
            return embedSeconds / ingestSeconds;
        }

        /** The raw embedder's time on these chunks: the mean of the replays just before and just after the run. */
        double rawSeconds() {
            return (rawBeforeSeconds + rawAfterSeconds) / 2;
        }

        double ratio() {
            return rawSeconds() / ingestSeconds;
        }
    }

    public static void main(String[] args) throws Exception {
        int documents = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        List<String[]> paragraphs = IngestBench.paragraphs(Path.of(System.getProperty("bench.squad",
                "/work/shared/data/squad-v2-dev-subset.json")));
        Path work = Files.createTempDirectory("ingest-efficiency-bench");
        List<Row> rows = new ArrayList<>();
        System.out.println("load average at start: " + loadAverage());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(work.resolve("kafka")).build().start();
             BatchingEmbedder embedder = BatchingEmbedder.wrap(Embedders.open("default",
                     EmbedderOptions.defaults().withMeterRegistry(registry)),
                     io.streamrag.inference.worker.BatchingSettings.defaults(), registry)) {
            embedder.embed(List.of("warm up the model")); // the first call pays for graph optimisation
            // a whole ingest first, not reported: class loading and JIT of the ingest path would go to the first runs
            List<List<String>> previousCalls = run(-1, false, broker, embedder, paragraphs, documents, work,
                    List.of()).recordedCalls();
            int run = 0;
            for (int round = 0; round < rounds; round++) {
                boolean[] order = round % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false};
                for (boolean overlap : order) {
                    Row row = run(run++, overlap, broker, embedder, paragraphs, documents, work, previousCalls);
                    previousCalls = row.recordedCalls();
                    rows.add(row);
                    System.out.printf("run %d: overlap %s, ratio %.3f, embedder busy %.0f %% (load average %s)%n", run,
                            overlap ? "on" : "off", row.ratio(), 100 * row.busyShare(), loadAverage());
                }
            }
        }
        System.out.println("load average at end: " + loadAverage());
        print(rows, documents);
    }

    /**
     * One ingest run, bracketed by two raw replays of the same chunks: {@code before} (the previous run's calls: the
     * same documents, so the same texts, perhaps grouped otherwise) and this run's own calls after it.
     */
    private static Row run(int index, boolean overlap, EmbeddedKafkaBroker broker, BatchingEmbedder embedder,
                           List<String[]> paragraphs, int documents, Path work, List<List<String>> before)
            throws Exception {
        double rawBefore = replay(embedder, before);
        String tag = index < 0 ? "warmup" : "r" + index;
        String changes = "efficiency-changes-" + tag;
        String updates = "efficiency-updates-" + tag;
        String deadLetters = "efficiency-dead-letters-" + tag;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(changes, 1, (short) 1), new NewTopic(updates, 1, (short) 1),
                    new NewTopic(deadLetters, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        IngestSettings settings = AppConfig.defaults().ingest()
                .withTopics(List.of(changes), updates, deadLetters).withChunking(CHUNKING)
                .withBatching(BATCHING.withEmbedOverlap(overlap)).withMaxBodyChars(1_000_000)
                .withCollection("bench").withCapturedDocumentsTopic(null);
        CallRecorder recorder = new CallRecorder(embedder);
        double ingestSeconds;
        double ingestCpu;
        long chunksWritten;
        Map<String, Double> ingestByThread;
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (LuceneVectorStore store = LuceneVectorStore.open(work.resolve("lucene-" + tag));
             KafkaProducer<String, DocumentChange> producer = IngestStreams.producer(broker.bootstrapServers(),
                     REGISTRY);
             KafkaConsumer<String, IndexUpdate> watcher = IngestStreams.updatesConsumer(broker.bootstrapServers(),
                     REGISTRY, updates)) {
            store.ensureCollection(embedder.dimension());
            for (int i = 0; i < documents; i++) {
                producer.send(new ProducerRecord<>(changes, "doc-" + i, IngestBench.document("doc-" + i, paragraphs, i)));
            }
            producer.flush();
            KafkaStreams streams = IngestStreams.start(broker.bootstrapServers(), "efficiency-" + tag,
                    work.resolve("state-" + tag), settings, REGISTRY, recorder, store, meters,
                    exception -> StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
            try {
                IngestStreams.awaitRunning(streams, Duration.ofSeconds(60));
                ThreadCpu threads = ThreadCpu.now();
                long cpuFrom = processCpuNanos();
                long from = System.nanoTime();
                chunksWritten = awaitApplied(watcher, documents);
                ingestSeconds = (System.nanoTime() - from) / 1e9;
                ingestCpu = (processCpuNanos() - cpuFrom) / 1e9;
                ingestByThread = threads.since(ingestCpu);
            } finally {
                IngestStreams.close(streams);
            }
        }
        // the raw embedder: the same instance, exactly the calls the ingest made, back to back
        List<List<String>> calls = List.copyOf(recorder.calls);
        if (!before.isEmpty() && !sortedTexts(before).equals(sortedTexts(calls))) {
            throw new IllegalStateException("run " + index + " embedded other texts than the run before it");
        }
        ThreadCpu threads = ThreadCpu.now();
        long cpuFrom = processCpuNanos();
        double rawAfter = replay(embedder, calls);
        double rawCpu = (processCpuNanos() - cpuFrom) / 1e9;
        Map<String, Double> rawByThread = threads.since(rawCpu);
        int texts = calls.stream().mapToInt(List::size).sum();
        return new Row(overlap, documents, chunksWritten, texts, calls.size(), ingestSeconds, ingestCpu,
                before.isEmpty() ? rawAfter : rawBefore, rawAfter, rawCpu, ingestByThread, rawByThread, calls,
                meters.find("streamrag.ingest.embed").timer().totalTime(TimeUnit.NANOSECONDS) / 1e9);
    }

    /** Seconds the embedder takes for {@code calls}, one after the other. */
    private static double replay(TextEmbedder embedder, List<List<String>> calls) {
        long from = System.nanoTime();
        for (List<String> call : calls) {
            embedder.embed(call);
        }
        return (System.nanoTime() - from) / 1e9;
    }

    private static List<String> sortedTexts(List<List<String>> calls) {
        return calls.stream().flatMap(List::stream).sorted().toList();
    }

    /** Waits for {@code count} index updates (measured on the watcher: the time the last one is readable). */
    private static long awaitApplied(KafkaConsumer<String, IndexUpdate> watcher, int count) {
        long chunks = 0;
        int seen = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (seen < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + seen + " of " + count + " documents applied");
            }
            for (ConsumerRecord<String, IndexUpdate> record : watcher.poll(Duration.ofMillis(20))) {
                seen++;
                chunks += record.value().getChunkCount();
            }
        }
        return chunks;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static void print(List<Row> rows, int documents) {
        System.out.printf("%nIngest ÷ raw embedder (all-MiniLM-L6-v2 ONNX behind the batching worker, %d cores, %d docs,"
                + " chunk %d/%d tokens, batch <= %d docs, linger %d ms, Lucene)%n%n",
                Runtime.getRuntime().availableProcessors(), documents, CHUNKING.chunkTokens(),
                CHUNKING.overlapTokens(), BATCHING.maxDocuments(), BATCHING.linger().toMillis());
        System.out.println("| run | overlap | texts embedded (calls) | chunks written | ingest s | raw s before / after"
                + " | ingest chunks/s | raw chunks/s | **ratio** | embedder busy | ingest CPU-s | raw CPU-s (after) |");
        System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        int run = 1;
        for (Row row : rows) {
            System.out.printf("| %d | %s | %d (%d) | %d | %.1f | %.1f / %.1f | %.1f | %.1f | **%.3f** | %.0f %% | %.1f"
                            + " | %.1f |%n",
                    run++, row.overlap() ? "on" : "off", row.texts(), row.calls(), row.chunksWritten(),
                    row.ingestSeconds(), row.rawBeforeSeconds(), row.rawAfterSeconds(),
                    row.texts() / row.ingestSeconds(), row.texts() / row.rawSeconds(), row.ratio(),
                    100 * row.busyShare(), row.ingestCpuSeconds(), row.rawCpuSeconds());
        }
        for (boolean overlap : new boolean[] {false, true}) {
            double raw = rows.stream().filter(row -> row.overlap() == overlap).mapToDouble(Row::rawSeconds).sum();
            double ingest = rows.stream().filter(row -> row.overlap() == overlap).mapToDouble(Row::ingestSeconds)
                    .sum();
            double[] ratios = rows.stream().filter(row -> row.overlap() == overlap).mapToDouble(Row::ratio).sorted()
                    .toArray();
            double busy = rows.stream().filter(row -> row.overlap() == overlap).mapToDouble(Row::embedSeconds).sum();
            System.out.printf("overlap %s: pooled ratio %.3f, median %.3f, range %.3f-%.3f (goal >= 0.92);"
                            + " embedder busy %.0f %% of the ingest's wall time%n", overlap ? "on" : "off",
                    raw / ingest, median(ratios), ratios[0], ratios[ratios.length - 1], 100 * busy / ingest);
        }
        System.out.printf("%nCPU-s by thread group, ingest / raw replay (native: ONNX Runtime's pool, GC, JIT)%n%n");
        List<String> groups = ThreadCpu.GROUPS;
        System.out.println("| run | overlap | " + String.join(" | ", groups) + " |");
        System.out.println("|---:|---|" + "---:|".repeat(groups.size()));
        run = 1;
        for (Row row : rows) {
            StringBuilder line = new StringBuilder("| " + run++ + " | " + (row.overlap() ? "on" : "off") + " |");
            for (String group : groups) {
                line.append(String.format(" %.1f / %.1f |", row.ingestCpuByThread().getOrDefault(group, 0.0),
                        row.rawCpuByThread().getOrDefault(group, 0.0)));
            }
            System.out.println(line);
        }
    }

    /** CPU time of every live JVM thread, grouped by what the thread does; the rest of the process is native. */
    private record ThreadCpu(Map<Long, Long> nanos) {
        static final List<String> GROUPS = List.of("stream thread", "embed lane", "batching worker", "broker",
                "lucene merges", "bench main", "native", "of which JIT", "GC pauses (wall)");

        static ThreadCpu now() {
            java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
            Map<Long, Long> nanos = new java.util.HashMap<>();
            for (long id : bean.getAllThreadIds()) {
                nanos.put(id, Math.max(0, bean.getThreadCpuTime(id)));
            }
            nanos.put(JIT, jitMillis() * 1_000_000);
            nanos.put(GC, gcMillis() * 1_000_000);
            return new ThreadCpu(nanos);
        }

        private static final long JIT = -1;
        private static final long GC = -2;

        private static long jitMillis() {
            return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        }

        private static long gcMillis() {
            return ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
        }

        /** CPU-s per group since this snapshot; {@code processSeconds} minus the JVM threads' is "native". */
        Map<String, Double> since(double processSeconds) {
            java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
            Map<String, Double> groups = new java.util.LinkedHashMap<>();
            GROUPS.forEach(group -> groups.put(group, 0.0));
            double threads = 0;
            for (java.lang.management.ThreadInfo info : bean.getThreadInfo(bean.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                long cpu = bean.getThreadCpuTime(info.getThreadId());
                if (cpu < 0) {
                    continue;
                }
                double seconds = (cpu - nanos.getOrDefault(info.getThreadId(), 0L)) / 1e9;
                threads += seconds;
                groups.merge(group(info.getThreadName()), seconds, Double::sum);
            }
            groups.put("native", processSeconds - threads);
            groups.put("of which JIT", (jitMillis() * 1_000_000 - nanos.get(JIT)) / 1e9);
            groups.put("GC pauses (wall)", (gcMillis() * 1_000_000 - nanos.get(GC)) / 1e9);
            return groups;
        }

        private static String group(String name) {
            if (name.contains("StreamThread")) {
                return "stream thread";
            } else if (name.startsWith("ingest-embed-")) {
                return "embed lane";
            } else if (name.startsWith("batching-worker")) {
                return "batching worker";
            } else if (name.startsWith("Lucene Merge")) {
                return "lucene merges";
            } else if (name.equals("main")) {
                return "bench main";
            }
            return "broker";
        }
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The ingest's embedder: passes every call on and keeps its texts, for the raw replay. */
    private static final class CallRecorder extends ForwardingTextEmbedder {
        final List<List<String>> calls = new CopyOnWriteArrayList<>();

        CallRecorder(TextEmbedder embedder) {
            super(embedder);
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            calls.add(List.copyOf(texts));
            return delegate().embed(texts);
        }

        @Override
        public void close() {
            // the bench owns the embedder
        }
    }
}
