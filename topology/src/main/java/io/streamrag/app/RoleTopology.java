package io.streamrag.app;

import org.apache.kafka.streams.Topology;

/**
 * Builds the topology of one {@link Role}. The runtime gives it its own Kafka Streams instance, application id,
 * state directory, exactly-once processing and dead-letter handlers.
 *
 * <p>Implementations have a no-argument constructor and take everything else from the {@link RoleContext}:
 * the configuration, serde settings, and a place to hand over resources (vector store, models) that must be closed
 * after the Streams instance has stopped. Register an implementation in {@link RoleCatalog#builtIn()}.
 */
public interface RoleTopology {

    Role role();

    /**
     * @throws Exception when a resource the topology needs cannot be opened (model files, store); start-up stops
     *                   with the message
     */
    Topology build(RoleContext context) throws Exception;
}
