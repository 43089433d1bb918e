package io.streamrag.ingest;

import static io.streamrag.ingest.Documents.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.app.config.AppConfig;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.kafka.PollWakeups;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A task closed with a batch still lingering (a rebalance moved it, the app stops) leaves its stream thread no
 * wake-up: the indexer disarms its batch check on close.
 */
class LingerWakeupOnCloseTest {

    @Test
    void closingTheTaskWithAPendingBatchCancelsItsWakeUp() throws Exception {
        // wake-ups are per thread: a fresh one, so nothing another test left on this thread counts
        long[] wakeUps = CompletableFuture.supplyAsync(() -> {
            // a long linger, so the wake-up is still ahead when the task closes
            IngestRig rig = new IngestRig(AppConfig.defaults().ingest().batching().withSize(64, Duration.ofMinutes(10)),
                    new ChunkingSettings(24, 6), 2_000);
            rig.changes.pipeInput("a", upsert("a", 1, "A", Documents.sentences("apples", 3)));
            long whilePending = PollWakeups.ofCurrentThread().millisUntilNext(System.currentTimeMillis());
            rig.close();
            long afterClose = PollWakeups.ofCurrentThread().millisUntilNext(System.currentTimeMillis());
            return new long[] {whilePending, afterClose};
        }, command -> new Thread(command, "linger-wakeup-test").start()).get(60, TimeUnit.SECONDS);

        assertThat(wakeUps[0]).as("a lingering batch asks for a wake-up").isGreaterThanOrEqualTo(0);
        assertThat(wakeUps[1]).as("none once its task is closed").isEqualTo(-1);
    }
}
