package io.streamrag.kafka.deadletter;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * How often each record has failed for a reason of its own, kept outside Kafka's transactions: an aborted
 * transaction rolls the stores and offsets back and the same record fails again, so the count must survive aborts,
 * replaced stream threads and process restarts. Once a record reaches {@code attempts} failures it is quarantined:
 * dead-lettered, and the stream moves on. Outages (store or broker down) are never counted here: they pause and retry
 * without limit and without losing anything.
 *
 * <p>Persisted (when given a file) as a small properties file, rewritten atomically on each change; failures are rare,
 * so this costs nothing in the normal case. Entries of records that finally succeed are removed.
 */
public final class FailureLedger {

    private final Path file;
    private final int attempts;
    private final Properties counts = new Properties();

    private FailureLedger(Path file, int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("quarantine attempts must be at least 1, was " + attempts);
        }
        this.file = file;
        this.attempts = attempts;
    }

    /** A ledger that lives as long as the process (tests, tools). */
    public static FailureLedger inMemory(int attempts) {
        return new FailureLedger(null, attempts);
    }

    /** A ledger kept in {@code file}, read now if it exists. */
    public static FailureLedger open(Path file, int attempts) {
        FailureLedger ledger = new FailureLedger(file, attempts);
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                ledger.counts.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the failure ledger " + file, e);
            }
        }
        return ledger;
    }

    public int attempts() {
        return attempts;
    }

    /** Counts one more failure of {@code record}; returns the failures so far, this one included. */
    public synchronized int failed(String record) {
        int failures = failures(record) + 1;
        counts.setProperty(record, Integer.toString(failures));
        save();
        return failures;
    }

    public synchronized int failures(String record) {
        return Integer.parseInt(counts.getProperty(record, "0"));
    }

    /** True when {@code record} failed often enough to be dead-lettered instead of tried again. */
    public synchronized boolean quarantined(String record) {
        return failures(record) >= attempts;
    }

    /** Forgets {@code record}: it succeeded, or it was dead-lettered. */
    public synchronized void settled(String record) {
        if (counts.remove(record) != null) {
            save();
        }
    }

    private void save() {
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                counts.store(writer, "streamrag: failures per record (topic-partition@offset or document@version)");
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the failure ledger " + file, e);
        }
    }
}
