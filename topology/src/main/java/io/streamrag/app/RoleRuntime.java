package io.streamrag.app;

import java.time.Duration;
import java.util.Properties;
import java.util.function.Consumer;

import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** One role running: its Kafka Streams instance and the resources its topology opened. */
public final class RoleRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RoleRuntime.class);

    private final Role role;
    private final String applicationId;
    private final KafkaStreams streams;
    private final RoleContext context;
    private final Duration closeTimeout;

    private RoleRuntime(Role role, String applicationId, KafkaStreams streams, RoleContext context,
                        Duration closeTimeout) {
        this.role = role;
        this.applicationId = applicationId;
        this.streams = streams;
        this.context = context;
        this.closeTimeout = closeTimeout;
    }

    /**
     * Creates and starts the Streams instance. {@code onFailure} is told when the instance dies (a stream thread hit
     * an exception no handler took), so the application can stop instead of running on without this role.
     */
    static RoleRuntime start(Role role, Topology topology, Properties props, RoleContext context,
                             Duration closeTimeout, Consumer<RoleRuntime> onFailure) {
        String applicationId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        KafkaStreams streams = new KafkaStreams(topology, props);
        RoleRuntime runtime = new RoleRuntime(role, applicationId, streams, context, closeTimeout);
        streams.setUncaughtExceptionHandler(exception -> {
            try (MDC.MDCCloseable ignored = MDC.putCloseable("role", role.cliName())) {
                log.error("Role {} ({}) stops: unhandled exception in a stream thread", role.cliName(),
                        applicationId, exception);
            }
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((newState, oldState) -> {
            try (MDC.MDCCloseable ignored = MDC.putCloseable("role", role.cliName())) {
                log.info("Role {} ({}) {} -> {}", role.cliName(), applicationId, oldState, newState);
            }
            if (newState == KafkaStreams.State.ERROR) {
                onFailure.accept(runtime);
            }
        });
        streams.start();
        return runtime;
    }

    public Role role() {
        return role;
    }

    public String applicationId() {
        return applicationId;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * Leaves the consumer group while closing: with Kafka's default close the group waits a whole session timeout
     * (45 s) for this member before a restarted instance gets its partitions back. Then closes the role's resources.
     */
    @Override
    public void close() {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("role", role.cliName())) {
            boolean closed = streams.close(CloseOptions
                    .groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(closeTimeout));
            if (!closed) {
                log.warn("Role {} ({}) did not stop within {}", role.cliName(), applicationId, closeTimeout);
            }
            context.close();
        }
    }
}
