package io.streamrag.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client commands print their own one-line errors; the Kafka clients' reconnect warnings (dozens a second with no
 * broker) would bury them. The app's {@code run} keeps them: there a lost broker is news for the operator.
 */
final class CliLogging {

    private CliLogging() {
    }

    /** Kafka client logging to ERROR for the rest of this process, unless STREAMRAG_LOG_LEVEL asks for more. */
    static void quietKafkaClients() {
        if (System.getenv("STREAMRAG_LOG_LEVEL") != null || System.getProperty("STREAMRAG_LOG_LEVEL") != null) {
            return;
        }
        if (LoggerFactory.getLogger("org.apache.kafka") instanceof Logger kafka) {
            kafka.setLevel(Level.ERROR);
        }
    }
}
