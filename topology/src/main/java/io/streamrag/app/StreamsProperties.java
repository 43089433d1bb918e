package io.streamrag.app;

import java.util.Map;
import java.util.Properties;

import io.streamrag.app.config.AppConfig;
import io.streamrag.kafka.PunctualClientSupplier;
import io.streamrag.kafka.deadletter.DeadLetterDeserializationHandler;
import io.streamrag.kafka.deadletter.DeadLetterProcessingHandler;
import io.streamrag.kafka.deadletter.DeadLetterProductionHandler;
import io.streamrag.kafka.deadletter.DeadLetterRouter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams configuration of one role. */
public final class StreamsProperties {

    private StreamsProperties() {
    }

    /** @param serdeConfig the registry settings every serde uses (URL of the running registry, auth) */
    public static Properties forRole(Role role, AppConfig config, KafkaEndpoint kafka, Map<String, Object> serdeConfig) {
        Properties props = new Properties();
        // micro-batches flush from wall-clock punctuations, which cannot fire while a thread blocks in poll(): the
        // main consumer ends its poll when a batch check is due (PunctualClientSupplier), so the poll can stay at
        // Streams' 100 ms; and a settled thread with nothing to do waits up to 2 s per turn of Streams' loop
        props.put(StreamsConfig.POLL_MS_CONFIG, POLL_MS);
        props.put(StreamsConfig.DEFAULT_CLIENT_SUPPLIER_CONFIG, PunctualClientSupplier.class);
        // an idle consumer's fetch waits at the broker for data and returns as soon as any arrives (fetch.min.bytes
        // 1), so a longer wait costs a new record no latency; it saves the fetch round trips (broker handler, stream
        // thread) an idle app made every 500 ms per consumer. What can wait for it: a partition resumed or seeked
        // while another's fetch is parked (rebalance, restoration done, replay after an abort), at most this long
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), FETCH_MAX_WAIT_MS);
        props.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), FETCH_MAX_WAIT_MS);
        // lowest precedence: user tuning, then the application's own settings on top
        props.putAll(config.kafka().streamsProperties());
        props.putAll(kafka.clientProperties());
        String applicationId = role.applicationId(config);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        // thread names start with the client id, so every Streams log line names its role
        props.put(StreamsConfig.CLIENT_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Streams' exactly-once default (10 s) is shorter than a CPU batch of inference on a busy machine; a batch
        // outliving it is fenced and replayed, again and again. Batches are cut to half of this (WorkBudget).
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                (int) config.kafka().transactionTimeout().toMillis());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG),
                (int) config.kafka().maxPollInterval().toMillis());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.kafka().streamsStateDir().toAbsolutePath().toString());
        if (kafka.embedded()) {
            // a single broker: internal topics (changelogs, repartitions) can have one replica only
            props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        }

        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class.getName());
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class.getName());
        // global stores' processors dead-letter the same way as the stream threads'
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(DeadLetterRouter.TOPIC_CONFIG, config.topics().deadLetters());
        props.put(DeadLetterRouter.ROLE_CONFIG, role.cliName());
        props.put(DeadLetterRouter.MAX_BYTES_CONFIG, config.failures().deadLetterMaxBytes());
        // the handlers build their dead-letter serde from these (schema.registry.url and auth)
        serdeConfig.forEach(props::put);
        return props;
    }

    /**
     * Streams' own default whatever the batch linger: a lone record's batch no longer needs the poll to be as short
     * as the linger, and a longer poll would slow rebalances and task start-up, which the stream thread finishes
     * between polls (a 20 s poll made a role take a minute to reach RUNNING).
     */
    static final long POLL_MS = 100;

    /** Longest wait of an idle fetch at the broker (the consumer default is 500 ms). */
    static final int FETCH_MAX_WAIT_MS = 2000;
}
