package io.streamrag.bench;

import io.streamrag.app.config.AppConfig;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.contracts.Answer;
import io.streamrag.contracts.AnswerStatus;
import io.streamrag.contracts.Question;
import io.streamrag.contracts.StageTimings;
import io.streamrag.inference.bart.BartGenerator;
import io.streamrag.inference.device.DeviceSettings;
import io.streamrag.inference.embed.EmbedderOptions;
import io.streamrag.inference.embed.Embedders;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.inference.generate.TextGenerator;
import io.streamrag.kafka.EmbeddedKafkaBroker;
import io.streamrag.qa.QaPipeline;
import io.streamrag.qa.QaSettings;
import io.streamrag.qa.SquadSample;
import io.streamrag.qa.SquadSample.AnswerableQuestion;
import io.streamrag.qa.SquadSample.Paragraph;
import io.streamrag.qa.TinyBartFolder;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.lucene.LuceneVectorStore;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

/**
 * QA throughput and latency on the real embedded broker, the default embedder and a Lucene store of SQuAD
 * paragraphs. Not a test: prints a Markdown table.
 *
 * <pre>
 * java ... io.streamrag.bench.QaBench [extractive|rag-sequence|rag-token|concat] [BART folder|tiny|bart-base-random|-]
 *     [questions] [rate q/s]      (-Dqa.k=5 -Dqa.beams=... -Dqa.maxNewTokens=... -Dqa.batch=16)
 * </pre>
 * {@code tiny} is the inference module's tiny test checkpoint; {@code bart-base-random} writes a bart-base-shaped
 * checkpoint with random weights (the BART bench's writer) and borrows the tiny checkpoint's tokenizer, so it
 * measures bart-base compute, not answer quality.
 * Phase 1 sends {@code questions} at once and measures answered questions per second (saturation). Phase 2 sends at
 * a fixed rate (default: half the saturation throughput) for the same number of questions and reports end-to-end
 * latency (send to answer read) and the per-stage times the answers carry, as p50/p95/p99.
 */
public final class QaBench {

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "extractive";
        String generatorArg = args.length > 1 ? args[1] : "-";
        int questions = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        double requestedRate = args.length > 3 ? Double.parseDouble(args[3]) : 0;
        if (!mode.equals("extractive") && generatorArg.equals("-")) {
            throw new IllegalArgumentException(mode + " needs a BART folder, tiny or bart-base-random");
        }

        Path scratch = Files.createTempDirectory("qa-bench");
        Path bart = switch (generatorArg) {
            case "-" -> null;
            case "tiny" -> TinyBartFolder.locate(scratch);
            case "bart-base-random" -> randomBartBase(scratch);
            default -> Path.of(generatorArg);
        };
        SquadSample squad = SquadSample.load();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(scratch.resolve("kafka")).build().start();
             TextEmbedder embedder = Embedders.open(Embedders.DEFAULT, EmbedderOptions.defaults());
             LuceneVectorStore store = LuceneVectorStore.open(scratch.resolve("lucene"));
             TextGenerator generator = bart == null ? null
                     : BartGenerator.open(bart, DeviceSettings.CPU_FP32)) {
            index(squad, embedder, store);
            int k = Integer.getInteger("qa.k", 5);
            QaSettings settings = AppConfig.defaults().qa()
                    .withTopics("bench-questions", "bench-answers", "bench-dead-letters")
                    .withRetrieval(k, Math.max(k, 50), 0.0)
                    .withBatching(Integer.getInteger("qa.batch", 16), Duration.ofMillis(5))
                    .withDefaultDeadline(Duration.ofMinutes(30))
                    .withGeneration(Integer.getInteger("qa.beams"), Integer.getInteger("qa.maxNewTokens"), null);
            if (!mode.equals("extractive")) {
                settings = settings.withMode(QaSettings.GenerationMode.fromLabel(mode));
            }
            List<AnswerableQuestion> pool = squad.questions();
            try (QaPipeline pipeline = new QaPipeline(broker.bootstrapServers(), "mock://qa-bench", "bench-",
                    settings, embedder, store, generator, new SimpleMeterRegistry(), scratch.resolve("state"), 1)) {
                AtomicInteger sequence = new AtomicInteger();
                // warm-up: JIT, ONNX session, Lucene searcher, sentence cache for the first passages
                burst(pipeline, pool, 20, sequence);

                Result saturation = burst(pipeline, pool, questions, sequence);
                double throughput = questions / (saturation.wallNanos / 1e9);
                double rate = requestedRate > 0 ? requestedRate : throughput / 2;
                Result paced = paced(pipeline, pool, questions, rate, sequence);

                System.out.printf(Locale.ROOT, "%n## QA bench: mode %s, generator %s, %d questions, k %d, beams %s,"
                        + " max new tokens %s, batch %d, %s%n%n", mode,
                        generator == null ? "none (extractive)" : generatorArg, questions, k,
                        settings.numBeams() == null ? "default" : settings.numBeams(),
                        settings.maxNewTokens() == null ? "default" : settings.maxNewTokens(),
                        settings.batchMaxSize(), squad.source());
                System.out.printf(Locale.ROOT, "Saturation: %.1f questions/s (%d answered in %.1f s)%n%n",
                        throughput, saturation.answers.size(), saturation.wallNanos / 1e9);
                System.out.printf(Locale.ROOT, "Fixed rate %.1f q/s, latency in ms:%n%n", rate);
                System.out.println("| measure | p50 | p95 | p99 |");
                System.out.println("|---|---|---|---|");
                row("end to end (send to answer read)", paced.endToEndMs);
                row("stage: queue", stage(paced.answers, StageTimings::getQueueMs));
                row("stage: embed (batch)", stage(paced.answers, StageTimings::getEmbedMs));
                row("stage: retrieve (batch)", stage(paced.answers, StageTimings::getRetrieveMs));
                row("stage: generate (batch)", stage(paced.answers, StageTimings::getGenerateMs));
                row("stage: total (in app)", stage(paced.answers, StageTimings::getTotalMs));
                System.out.println();
                System.out.println("| saturation stage means (ms) | queue | embed | retrieve | generate | total |");
                System.out.println("|---|---|---|---|---|---|");
                System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %.1f |%n", mode,
                        mean(stage(saturation.answers, StageTimings::getQueueMs)),
                        mean(stage(saturation.answers, StageTimings::getEmbedMs)),
                        mean(stage(saturation.answers, StageTimings::getRetrieveMs)),
                        mean(stage(saturation.answers, StageTimings::getGenerateMs)),
                        mean(stage(saturation.answers, StageTimings::getTotalMs)));
                long notOk = paced.answers.stream().filter(a -> a.getStatus() != AnswerStatus.OK).count()
                        + saturation.answers.stream().filter(a -> a.getStatus() != AnswerStatus.OK).count();
                System.out.printf(Locale.ROOT, "%nAnswers not OK: %d%n", notOk);
            }
        }
    }

    /**
     * The BART bench's random bart-base writer lives package-private in the inference test jar; calling it
     * reflectively beats keeping a second copy of the weight layout here.
     */
    private static Path randomBartBase(Path scratch) throws Exception {
        Path folder = Files.createDirectories(scratch.resolve("bart-base-random"));
        Method write = Class.forName("io.streamrag.inference.bench.RandomBartCheckpoint")
                .getDeclaredMethod("writeBartBase", Path.class, long.class);
        write.setAccessible(true);
        write.invoke(null, folder, 42L);
        Path tiny = TinyBartFolder.locate(scratch);
        for (String name : List.of("tokenizer.json", "tokenizer_config.json")) {
            Files.copy(tiny.resolve(name), folder.resolve(name));
        }
        return folder;
    }

    record Result(long wallNanos, List<Answer> answers, double[] endToEndMs) {
    }

    static void index(SquadSample squad, TextEmbedder embedder, LuceneVectorStore store) {
        store.ensureCollection(embedder.dimension());
        List<Paragraph> paragraphs = squad.paragraphs();
        for (int from = 0; from < paragraphs.size(); from += 32) {
            List<Paragraph> batch = paragraphs.subList(from, Math.min(paragraphs.size(), from + 32));
            // "Title. passage", as the ingest topology embeds a chunk
            List<float[]> vectors = embedder.embed(batch.stream().map(p -> p.title() + ". " + p.text()).toList());
            for (int i = 0; i < batch.size(); i++) {
                Paragraph p = batch.get(i);
                store.replaceDocument(p.documentId(), List.of(new StoredChunk(p.documentId() + "#0", p.documentId(),
                        0, 1, p.title(), p.text(), null, Map.of(), vectors.get(i))));
            }
        }
        store.flush();
    }

    static Question question(AnswerableQuestion q, int sequence) {
        return Question.newBuilder().setQuestionId(q.id() + "-" + sequence).setText(q.text())
                .setRequestedAt(Instant.now()).build();
    }

    static Result burst(QaPipeline pipeline, List<AnswerableQuestion> pool, int count,
                                AtomicInteger sequence) {
        Set<String> ids = new LinkedHashSet<>();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            int n = sequence.getAndIncrement();
            Question question = question(pool.get(n % pool.size()), n);
            ids.add(question.getQuestionId());
            sentAt.put(question.getQuestionId(), System.nanoTime());
            pipeline.ask(question);
        }
        pipeline.flush();
        List<Double> latencies = new ArrayList<>();
        Map<String, Answer> answers = pipeline.await(ids, Duration.ofMinutes(30),
                (answer, at) -> latencies.add((at - sentAt.get(answer.getQuestionId())) / 1e6));
        return new Result(System.nanoTime() - start, List.copyOf(answers.values()),
                latencies.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static Result paced(QaPipeline pipeline, List<AnswerableQuestion> pool, int count, double rate,
                        AtomicInteger sequence) throws InterruptedException {
        return paced(pipeline, count, rate, n -> question(pool.get(n % pool.size()), n), sequence);
    }

    /** Sends {@code count} questions made by {@code questions} (from the sequence number) at {@code rate} per s. */
    static Result paced(QaPipeline pipeline, int count, double rate, java.util.function.IntFunction<Question> questions,
                        AtomicInteger sequence) throws InterruptedException {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Double> latencies = new ArrayList<>();
        AtomicInteger sent = new AtomicInteger();
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        sender.scheduleAtFixedRate(() -> {
            if (sent.get() >= count) {
                return;
            }
            int n = sequence.getAndIncrement();
            Question question = questions.apply(n);
            ids.add(question.getQuestionId());
            sentAt.put(question.getQuestionId(), System.nanoTime());
            pipeline.ask(question);
            pipeline.flush();
            sent.incrementAndGet();
        }, 0, Math.max(1, (long) (1e9 / rate)), TimeUnit.NANOSECONDS);
        try {
            long giveUp = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            while ((sent.get() < count || latencies.size() < count) && System.nanoTime() < giveUp) {
                pipeline.pollOnce((answer, at) -> {
                    Long sentNanos = sentAt.get(answer.getQuestionId());
                    if (sentNanos != null) {
                        latencies.add((at - sentNanos) / 1e6);
                    }
                });
            }
        } finally {
            sender.shutdownNow();
        }
        Map<String, Answer> answers = pipeline.await(Set.copyOf(ids), Duration.ofSeconds(1), null);
        return new Result(System.nanoTime() - start, List.copyOf(answers.values()),
                latencies.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double[] stage(List<Answer> answers, ToLongFunction<StageTimings> stage) {
        return answers.stream().mapToDouble(a -> stage.applyAsLong(a.getTimings())).toArray();
    }

    static void row(String name, double[] values) {
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", name, percentile(values, 50),
                percentile(values, 95), percentile(values, 99));
    }

    /** Nearest-rank percentile. */
    static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }
}
