package io.streamrag.app.config;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** How environment variables name config keys: {@code STREAMRAG_KAFKA_BOOTSTRAP_SERVERS} is {@code kafka.bootstrap.servers}. */
final class EnvironmentNames {

    static final String PREFIX = "STREAMRAG_";

    /** Environment variables with our prefix that are not config keys. */
    private static final Set<String> RESERVED = Set.of(
            "STREAMRAG_CONFIG",     // the config file, read by the command line
            "STREAMRAG_LOG_LEVEL"); // read by logback.xml

    private EnvironmentNames() {
    }

    /** The key an environment variable overrides, or empty when the variable is not a config override. */
    static Optional<String> keyOf(String variable) {
        if (!variable.startsWith(PREFIX) || RESERVED.contains(variable) || variable.length() == PREFIX.length()) {
            return Optional.empty();
        }
        return Optional.of(variable.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'));
    }
}
