package io.streamrag.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * Kafka Streams tags a state store meter by a key that names the store's kind; two kinds under one meter name made
 * Prometheus drop the second (Micrometer's "same set of tag keys" warning). Both must be scraped.
 */
class StateStoreTagsTest {

    @Test
    void rocksDbAndInMemoryStoreMetersOfOneNameAreBothPublished() {
        try (ApplicationMetrics metrics = new ApplicationMetrics()) {
            PrometheusMeterRegistry registry = metrics.registry();
            Gauge.builder("kafka.stream.state.oldest.iterator.open.since.ms", () -> 1.0)
                    .tags(Tags.of("rocksdb.state.id", "ingest-applied-versions", "task.id", "0_0"))
                    .register(registry);
            Gauge.builder("kafka.stream.state.oldest.iterator.open.since.ms", () -> 2.0)
                    .tags(Tags.of("in.memory.state.id", "ingest-pending-changes", "task.id", "0_0"))
                    .register(registry);

            String scrape = registry.scrape();

            assertThat(scrape)
                    .contains("kafka_stream_state_oldest_iterator_open_since_ms{state_id=\"ingest-applied-versions\","
                            + "store_type=\"rocksdb\",task_id=\"0_0\"} 1.0")
                    .contains("kafka_stream_state_oldest_iterator_open_since_ms{state_id=\"ingest-pending-changes\","
                            + "store_type=\"in-memory\",task_id=\"0_0\"} 2.0");
        }
    }

    @Test
    void metersWithoutAStoreTagAreLeftAlone() {
        try (ApplicationMetrics metrics = new ApplicationMetrics()) {
            Gauge.builder("kafka.stream.thread.poll.rate", () -> 3.0).tags(Tags.of("thread.id", "t1"))
                    .register(metrics.registry());

            assertThat(metrics.registry().scrape()).contains("kafka_stream_thread_poll_rate{thread_id=\"t1\"} 3.0");
        }
    }
}
