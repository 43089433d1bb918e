package io.streamrag.observability;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The app's meter registry, rendered for Prometheus: the {@link StreamragMetrics} meters the topologies and workers
 * record, the JVM's (memory, GC, threads, class loading), the process's (CPU, uptime, open files) and each Kafka
 * Streams instance's own metrics (its consumers' lag among them), bound with {@link #bindStreams}.
 */
public final class ApplicationMetrics implements AutoCloseable {

    /** Tag naming the Streams instance (ingest, qa) on its Kafka metrics. */
    public static final String STREAMS_TAG = "streams";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> binders = new ArrayList<>();

    public ApplicationMetrics() {
        // before any meter exists: filters apply at registration
        registry.config().meterFilter(new StateStoreTags());
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        binders.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * Publishes the instance's Kafka metrics (client, thread, task and embedded-client metrics; refreshed as Streams
     * adds threads and tasks) tagged {@code streams=<name>}. Bind before or after {@code start()}.
     */
    public synchronized void bindStreams(String name, KafkaStreams streams) {
        KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams, Tags.of(STREAMS_TAG, name));
        metrics.bindTo(registry);
        binders.add(metrics);
    }

    @Override
    public synchronized void close() {
        IllegalStateException failure = null;
        for (AutoCloseable binder : binders) {
            try {
                binder.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("Closing the meter binders failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        binders.clear();
        registry.close();
        if (failure != null) {
            throw failure;
        }
    }
}
