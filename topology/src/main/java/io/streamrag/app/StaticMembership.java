package io.streamrag.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A stable {@code group.instance.id} per role and state directory, so that a role restarted after a crash takes its
 * partitions back at once: a dynamic member that did not leave its group (kill -9, OOM) holds them until its session
 * times out (45 s) and the rejoin waits for it. The id is made once and kept next to the Streams state; two processes
 * cannot share a state directory (Streams locks it), so two instances never get the same id.
 */
final class StaticMembership {

    private StaticMembership() {
    }

    /** {@code <application.id>-<uuid>}, the uuid read from (or first written to) {@code <stateDir>/<appId>.instance}. */
    static String instanceId(Path stateDir, String applicationId) {
        Path file = stateDir.resolve(applicationId + ".instance");
        try {
            if (Files.exists(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!id.isEmpty()) {
                    return id;
                }
            }
            Files.createDirectories(stateDir);
            String id = applicationId + "-" + UUID.randomUUID();
            Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the instance id of " + applicationId + " in " + file, e);
        }
    }
}
