package io.streamrag.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database harness on its own: first start, and a restart after a JVM died with its PostgreSQL running. */
class DocumentsDatabaseIT {

    @TempDir
    Path workDir;

    @Test
    void aServerLeftRunningByAKilledJvmIsStoppedAndItsCommittedRowsKept() throws Exception {
        Path dataDir = workDir.resolve("postgres");
        Process child = startLeftRunningDatabase(dataDir);
        long postmasterPid;
        try {
            awaitReady(child);
            postmasterPid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip());
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook runs, nothing stops PostgreSQL
            child.waitFor(30, TimeUnit.SECONDS);
        }
        try {
            assertThat(ProcessHandle.of(postmasterPid).map(ProcessHandle::isAlive))
                    .as("the postmaster outlives the killed JVM").contains(true);

            try (DocumentsDatabase database = DocumentsDatabase.start(dataDir)) {
                assertThat(ProcessHandle.of(postmasterPid).filter(ProcessHandle::isAlive))
                        .as("the leftover postmaster was stopped").isEmpty();
                assertThat(idsIn(database))
                        .as("the sample rows, loaded once, and the row the dead JVM committed")
                        .containsExactlyInAnyOrder("doc-kafka-streams", "doc-debezium", "doc-rag", "doc-qdrant",
                                LeftRunningDatabase.ROW_ID);
                assertThat(database.currentWalLsn()).isPositive();
            }
        } finally {
            // when the test failed before the harness stopped it: do not leave the child's server behind
            ProcessHandle.of(postmasterPid).ifPresent(ProcessHandle::destroy);
        }
    }

    private Process startLeftRunningDatabase(Path dataDir) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("Cannot tell which java runs this test"));
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LeftRunningDatabase.class.getName(), dataDir.toString())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("child.log").toFile())
                .start();
    }

    private void awaitReady(Process child) throws IOException, InterruptedException {
        Path log = workDir.resolve("child.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.readString(log, StandardCharsets.UTF_8).lines()
                .anyMatch(LeftRunningDatabase.READY::equals)) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("The child JVM did not start its database (alive: " + child.isAlive()
                        + "); its output:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            Thread.sleep(100);
        }
    }

    private static List<String> idsIn(DocumentsDatabase database) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection connection = database.connect();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT id FROM documents")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
