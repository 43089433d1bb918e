package io.streamrag.app.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In one JVM; the two-process case (a second {@code streamrag run}) is in NewcomerTranscriptIT. */
class DataDirectoryLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondHolderIsRefusedWithTheDirectoryAndTheOwnersPid() {
        Path data = dir.resolve("data");
        try (DataDirectoryLock first = DataDirectoryLock.acquire(data)) {
            assertThat(first.directory()).isEqualTo(data.toAbsolutePath());

            assertThatThrownBy(() -> DataDirectoryLock.acquire(data))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("data directory " + data.toAbsolutePath() + " (kafka.data.dir) is in use")
                    .hasMessageContaining("streamrag pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("set kafka.data.dir to another directory");
        }
    }

    @Test
    void aReleasedDirectoryCanBeLockedAgainAndNamesTheNewOwner() throws Exception {
        Path data = dir.resolve("data");
        DataDirectoryLock.acquire(data).close();

        try (DataDirectoryLock again = DataDirectoryLock.acquire(data)) {
            assertThat(Files.readString(data.resolve(DataDirectoryLock.FILE_NAME)))
                    .startsWith("streamrag pid " + ProcessHandle.current().pid() + " (started ");
        }
    }

    @Test
    void aRefusedAttemptLeavesTheHoldersLockInPlace() {
        Path data = dir.resolve("data");
        try (DataDirectoryLock first = DataDirectoryLock.acquire(data)) {
            assertThatThrownBy(() -> DataDirectoryLock.acquire(data)).isInstanceOf(StartupException.class);
            // the refused attempt closed its own channel only: the directory is still taken
            assertThatThrownBy(() -> DataDirectoryLock.acquire(data)).isInstanceOf(StartupException.class);
        }
    }
}
