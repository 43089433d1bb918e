package io.streamrag.qa;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamrag.contracts.Answer;
import io.streamrag.contracts.AnswerStatus;
import io.streamrag.contracts.StageTimings;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * QA meters: {@code streamrag.qa.answers{status}}, {@code streamrag.qa.stage{stage}} (queue, embed, retrieve,
 * generate, total; with percentiles histograms) and {@code streamrag.qa.batch.size}.
 */
public final class QaMetrics {

    private final Map<AnswerStatus, Counter> answers = new EnumMap<>(AnswerStatus.class);
    private final Timer queue;
    private final Timer embed;
    private final Timer retrieve;
    private final Timer generate;
    private final Timer total;
    private final DistributionSummary batchSize;

    public QaMetrics(MeterRegistry registry) {
        for (AnswerStatus status : AnswerStatus.values()) {
            answers.put(status, Counter.builder("streamrag.qa.answers").tag("status", status.name())
                    .description("Answers published, by status").register(registry));
        }
        queue = stage(registry, "queue");
        embed = stage(registry, "embed");
        retrieve = stage(registry, "retrieve");
        generate = stage(registry, "generate");
        total = stage(registry, "total");
        batchSize = DistributionSummary.builder("streamrag.qa.batch.size")
                .description("Questions answered per micro-batch").register(registry);
    }

    private static Timer stage(MeterRegistry registry, String stage) {
        return Timer.builder("streamrag.qa.stage").tag("stage", stage)
                .description("Time a question spent in each QA stage")
                .publishPercentileHistogram()
                .register(registry);
    }

    public void answered(Answer answer) {
        answers.get(answer.getStatus()).increment();
        if (answer.getStatus() == AnswerStatus.INVALID) {
            return; // rejected before any stage ran: zeros would only drag the latency percentiles down
        }
        StageTimings timings = answer.getTimings();
        queue.record(Duration.ofMillis(timings.getQueueMs()));
        embed.record(Duration.ofMillis(timings.getEmbedMs()));
        retrieve.record(Duration.ofMillis(timings.getRetrieveMs()));
        generate.record(Duration.ofMillis(timings.getGenerateMs()));
        total.record(Duration.ofMillis(timings.getTotalMs()));
    }

    public void batch(int size) {
        batchSize.record(size);
    }
}
