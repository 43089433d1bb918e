package io.streamrag.store.lucene;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.apache.lucene.index.IndexWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the index at rest: once no write came for {@code after}, one forced merge under {@link RestMergePolicy},
 * then a commit and a searcher refresh, so queries walk one or two graphs instead of the dozen the tiered policy
 * keeps while writes come. Runs again only after further writes. A merge in progress is abandoned when the store
 * closes (the store commits first, so nothing written is lost; the merge runs again at the next rest).
 */
final class RestMerger implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RestMerger.class);
    private static final Duration LONGEST_CHECK_PERIOD = Duration.ofSeconds(10);

    private final IndexWriter writer;
    private final Duration after;
    private final Runnable onMerged;
    private final IntSupplier searchedSegments;
    private final ScheduledExecutorService checks;
    private final AtomicLong writes = new AtomicLong(1); // an index just opened may hold many segments: merge it once
    private final AtomicLong merges = new AtomicLong();
    private volatile long lastWriteNanos = System.nanoTime();
    private volatile long writesWhenMerged;
    private volatile boolean closing;

    RestMerger(IndexWriter writer, Duration after, String indexName, Runnable onMerged,
               IntSupplier searchedSegments) {
        this.writer = writer;
        this.after = after;
        this.onMerged = onMerged;
        this.searchedSegments = searchedSegments;
        this.checks = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "lucene-rest-merge-" + indexName);
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(100, Math.min(after.toMillis() / 2, LONGEST_CHECK_PERIOD.toMillis()));
        checks.scheduleWithFixedDelay(this::mergeIfRested, period, period, TimeUnit.MILLISECONDS);
    }

    /** A write returned: the index is not at rest until {@code after} has passed without another. */
    void written() {
        lastWriteNanos = System.nanoTime();
        writes.incrementAndGet();
    }

    /** Rest merges completed since the store opened. */
    long merges() {
        return merges.get();
    }

    private void mergeIfRested() {
        long seen = writes.get();
        if (seen == writesWhenMerged || System.nanoTime() - lastWriteNanos < after.toNanos() || closing) {
            return;
        }
        try {
            long started = System.nanoTime();
            int before = searchedSegments.getAsInt();
            writer.forceMerge(1, true);
            writer.commit();
            writesWhenMerged = seen;
            onMerged.run();
            merges.incrementAndGet(); // after the refresh: whoever sees the count searches the merged segments
            LOG.info("Merged the index at rest: {} segments to {} in {} ms", before, searchedSegments.getAsInt(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (IOException | RuntimeException e) { // AlreadyClosedException too, when the store closes
            if (!closing) {
                // the index stays as the tiered policy left it, which is correct, only slower to search
                LOG.warn("Merging the index at rest failed; it will be tried again at the next rest", e);
                writesWhenMerged = seen;
            }
        }
    }

    @Override
    public void close() {
        closing = true;
        checks.shutdown(); // not shutdownNow: an interrupt during Lucene I/O closes the index as broken
    }
}
