package io.streamrag.app;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;

import io.streamrag.app.config.AppConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link RoleTopology} gets to build its topology with, and where it leaves the resources the runtime must
 * close once the role's Streams instance has stopped (in reverse order of registration).
 */
public final class RoleContext implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RoleContext.class);

    private final Role role;
    private final AppConfig config;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    public RoleContext(Role role, AppConfig config) {
        this.role = Objects.requireNonNull(role, "role");
        this.config = Objects.requireNonNull(config, "config");
    }

    public Role role() {
        return role;
    }

    public AppConfig config() {
        return config;
    }

    /** Settings for {@code SpecificAvroSerde.configure(...)}: registry URL and auth. */
    public Map<String, Object> serdeConfig() {
        return config.registry().serdeConfig();
    }

    /** The dead-letter topic, for topologies that route failed records there themselves. */
    public String deadLetterTopic() {
        return config.topics().deadLetters();
    }

    /** Hands {@code resource} to the runtime, which closes it after the Streams instance; returns it. */
    public synchronized <T extends AutoCloseable> T closeOnShutdown(T resource) {
        resources.push(Objects.requireNonNull(resource, "resource"));
        return resource;
    }

    /** Closes every resource, last registered first; failures are logged with the resource and do not stop the rest. */
    @Override
    public synchronized void close() {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log.error("Closing {} of role {} failed", resource, role.cliName(), e);
            }
        }
    }
}
