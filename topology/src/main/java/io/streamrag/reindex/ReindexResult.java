package io.streamrag.reindex;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * What a reindex read and wrote.
 *
 * @param records    records read from the documents topic up to the captured end offsets
 * @param documents  live documents indexed (their latest version)
 * @param chunks     chunks written for them
 * @param deleted    documents whose latest state is a delete or tombstone (not indexed)
 * @param skipped    records not applied: undecodable, rejected as the ingest would reject them, or stale on arrival (a
 *                   version not newer than the one already read)
 * @param endOffsets the end offsets captured at start: the snapshot the new collection holds
 */
public record ReindexResult(long records, int documents, long chunks, int deleted, long skipped,
                            Map<TopicPartition, Long> endOffsets) {

    public ReindexResult {
        endOffsets = Map.copyOf(endOffsets);
    }
}
