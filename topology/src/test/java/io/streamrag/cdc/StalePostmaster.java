package io.streamrag.cdc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a test JVM dies without stopping its embedded PostgreSQL (kill -9, a crashed fork), the postmaster keeps
 * running on the data directory and the next start there fails. Before starting, find such a leftover through
 * {@code postmaster.pid} and stop it; a pid file whose process is gone is removed, since a recycled pid would make
 * PostgreSQL refuse to start.
 */
final class StalePostmaster {

    private static final Logger log = LoggerFactory.getLogger(StalePostmaster.class);

    private StalePostmaster() {
    }

    static void stopIfRunning(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        Optional<ProcessHandle> postmaster = lines.isEmpty() ? Optional.empty()
                : ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
                        .filter(ProcessHandle::isAlive)
                        .filter(StalePostmaster::isPostgres);
        if (postmaster.isEmpty()) {
            log.warn("Removing stale {} (its process is gone)", pidFile);
            Files.delete(pidFile);
            return;
        }
        ProcessHandle process = postmaster.get();
        log.warn("Stopping PostgreSQL pid {} left running on {} by an earlier run", process.pid(), dataDir);
        process.destroy(); // SIGTERM: a smart shutdown; the dead JVM's sessions are gone already
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("Leftover PostgreSQL pid " + process.pid() + " on " + dataDir
                    + " did not stop in 30 s", e);
        }
        Files.deleteIfExists(pidFile);
    }

    private static boolean isPostgres(ProcessHandle process) {
        return process.info().command().map(command -> command.contains("postgres")).orElse(true);
    }
}
