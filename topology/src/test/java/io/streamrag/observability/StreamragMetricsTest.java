package io.streamrag.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The catalogue's meters render to exactly the Prometheus names the ops files query, and every series the Grafana
 * dashboard queries is one that a scrape of the app really contains.
 */
class StreamragMetricsTest {

    private static final Pattern METRIC_SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Metrics kafkaMetrics = new Metrics();
    private KafkaClientMetrics kafkaBinder;

    @AfterEach
    void close() {
        if (kafkaBinder != null) {
            kafkaBinder.close();
        }
        kafkaMetrics.close();
        registry.close();
    }

    /** Records into one meter of each kind through the catalogue's factories. */
    private void recordEveryMeter() {
        StreamragMetrics.ingestDocuments(registry).increment();
        StreamragMetrics.ingestChunks(registry).increment(4);
        StreamragMetrics.ingestChunksEmbedded(registry).increment(1);
        StreamragMetrics.ingestChunksReused(registry).increment(3);
        StreamragMetrics.ingestFreshness(registry).record(Duration.ofMillis(850));
        StreamragMetrics.workerBatchSize(registry, "embedder").record(32);
        StreamragMetrics.workerQueueWait(registry, "embedder").record(Duration.ofMillis(3));
        StreamragMetrics.qaAnswers(registry, "ANSWERED").increment();
        StreamragMetrics.qaStage(registry, "generate").record(Duration.ofSeconds(2));
        StreamragMetrics.deadLetters(registry, "chunk").increment();
    }

    @Test
    void eachMeterRendersToItsPrometheusName() {
        recordEveryMeter();

        Set<String> series = seriesNames(registry.scrape());

        assertThat(series).contains(
                "streamrag_ingest_documents_total",
                "streamrag_ingest_chunks_total",
                "streamrag_ingest_chunks_embedded_total", "streamrag_ingest_chunks_reused_total",
                "streamrag_ingest_freshness_seconds_bucket", "streamrag_ingest_freshness_seconds_count",
                "streamrag_ingest_freshness_seconds_sum", "streamrag_ingest_freshness_seconds_max",
                "streamrag_worker_batch_size_sum", "streamrag_worker_batch_size_count", "streamrag_worker_batch_size_max",
                "streamrag_worker_queue_wait_seconds_bucket",
                "streamrag_qa_answers_total",
                "streamrag_qa_stage_seconds_bucket",
                "streamrag_dead_letters_total");
        String text = registry.scrape();
        assertThat(text).contains("streamrag_worker_queue_wait_seconds_count{worker=\"embedder\"} 1")
                .contains("streamrag_qa_answers_total{status=\"ANSWERED\"} 1.0")
                .contains("streamrag_qa_stage_seconds_count{stage=\"generate\"} 1")
                .contains("streamrag_dead_letters_total{stage=\"chunk\"} 1.0")
                .contains("streamrag_ingest_chunks_total 4.0");
        assertThat(series).as("only our meters were registered").allMatch(name -> name.startsWith("streamrag_"));
    }

    @Test
    void everySeriesTheDashboardQueriesIsInAScrape() throws IOException {
        recordEveryMeter();
        bindAConsumerWithLag();
        Set<String> scraped = seriesNames(registry.scrape());

        Set<String> queried = dashboardSeries();

        assertThat(queried).hasSizeGreaterThanOrEqualTo(9);
        assertThat(scraped).containsAll(queried);
    }

    /**
     * Kafka's per-partition consumer lag, through Micrometer's Kafka binder as the Streams instances' consumers report
     * it (the binder for KafkaStreams and for a plain consumer name meters the same way).
     */
    private void bindAConsumerWithLag() {
        MetricName lag = kafkaMetrics.metricName("records-lag", "consumer-fetch-manager-metrics", "",
                Map.of("client-id", "ingest-consumer", "topic", "documents", "partition", "0"));
        kafkaMetrics.addMetric(lag, (Gauge<Double>) (config, now) -> 7.0);
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest") {
            @Override
            public synchronized Map<MetricName, ? extends Metric> metrics() {
                return kafkaMetrics.metrics();
            }
        };
        kafkaBinder = new KafkaClientMetrics(consumer);
        kafkaBinder.bindTo(registry);
    }

    private static Set<String> dashboardSeries() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(repositoryRoot().resolve("ops/grafana/dashboards/streamrag.json")
                .toFile());
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = METRIC_SELECTOR.matcher(target.path("expr").asText());
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    /** Names of the samples in a Prometheus text exposition (the part of each sample line before labels or value). */
    static Set<String> seriesNames(String exposition) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("ops/grafana"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("ops/grafana above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }
}
