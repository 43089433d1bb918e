package io.streamrag.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code postmaster.pid} that names no running PostgreSQL is removed and nothing else is touched. */
class StalePostmasterTest {

    @TempDir
    Path dataDir;

    @Test
    void noPidFileIsNothingToDo() throws Exception {
        StalePostmaster.stopIfRunning(dataDir);

        assertThat(dataDir).isEmptyDirectory();
    }

    @Test
    void aPidFileOfAProcessThatIsGoneIsRemoved() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(10, TimeUnit.SECONDS);
        writePidFile(gone.pid());

        StalePostmaster.stopIfRunning(dataDir);

        assertThat(dataDir.resolve("postmaster.pid")).doesNotExist();
    }

    @Test
    void aPidNowUsedByAnotherProgramIsRemovedAndThatProgramLeftAlone() throws Exception {
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            writePidFile(other.pid());

            StalePostmaster.stopIfRunning(dataDir);

            assertThat(dataDir.resolve("postmaster.pid")).doesNotExist();
            assertThat(other.isAlive()).isTrue();
        } finally {
            other.destroyForcibly();
        }
    }

    private void writePidFile(long pid) throws Exception {
        // the first lines of a real postmaster.pid: pid, data directory, start time, port
        Files.writeString(dataDir.resolve("postmaster.pid"), pid + "\n" + dataDir + "\n1732240000\n5432\n");
    }
}
