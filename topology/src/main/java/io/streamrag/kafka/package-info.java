/**
 * Kafka plumbing without application knowledge: the in-process KRaft {@link io.streamrag.kafka.EmbeddedKafkaBroker},
 * idempotent topic creation ({@link io.streamrag.kafka.TopicAdmin}), and in {@code deadletter} the Streams
 * exception handlers that turn failed records into {@code DeadLetter}s.
 */
package io.streamrag.kafka;
