package io.streamrag.reindex;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Whether the running ingest could have applied changes the reindex snapshot does not hold: true while the ingest
 * group has members (they keep writing, with the old model, through the alias) or has committed past the snapshot's
 * end offsets (those changes went to the old collection only). The alias is switched only when neither holds.
 */
public final class IngestGroupCheck {

    private IngestGroupCheck() {
    }

    /** Why switching now would lose changes, or empty when it is safe. */
    public static Optional<String> problem(Admin admin, String groupId, Map<TopicPartition, Long> snapshotEnds)
            throws InterruptedException {
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(java.util.List.of(groupId))
                    .describedGroups().get(groupId).get(30, TimeUnit.SECONDS);
            if (!group.members().isEmpty()) {
                return Optional.of("ingest group " + groupId + " has " + group.members().size()
                        + " running member(s); stop the ingest workers before the switch");
            }
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            for (Map.Entry<TopicPartition, Long> end : snapshotEnds.entrySet()) {
                OffsetAndMetadata offset = committed.get(end.getKey());
                if (offset != null && offset.offset() > end.getValue()) {
                    return Optional.of("ingest group " + groupId + " committed " + end.getKey() + " up to "
                            + offset.offset() + ", past the reindex snapshot's end " + end.getValue()
                            + "; those changes are only in the old collection: stop the ingest and reindex again");
                }
            }
            return Optional.empty();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Optional.empty(); // no ingest ever ran: nothing can be missing
            }
            throw new IllegalStateException("checking ingest group " + groupId + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("checking ingest group " + groupId + " failed", e);
        }
    }
}
