package io.streamrag.ingest.batch;

import io.micrometer.core.instrument.Counter;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.kafka.deadletter.DeadLetters;
import io.streamrag.kafka.deadletter.FailureLedger;
import io.streamrag.kafka.deadletter.RecordFailure;
import io.streamrag.kafka.deadletter.RecordRetryException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The ingest's side of the {@link FailureLedger}: a pending change that fails to be chunked or embedded on its own
 * (not an outage) is counted by document and version; until it reaches the configured attempts the failure is
 * rethrown as {@link RecordRetryException} (the thread is replaced, the batch replays from the last commit), then it
 * becomes a dead letter (stage {@code quarantine}, the change's Avro bytes) and the stream moves on.
 */
public final class ChangeQuarantine {

    public static final String STAGE = "quarantine";

    private final FailureLedger ledger;
    private final Serializer<DocumentChange> serializer;
    private final String topic;
    private final Counter quarantined;
    private final Clock clock;

    /** @param topic the topic the changes came from, for the dead letter (pending changes keep no offsets) */
    public ChangeQuarantine(FailureLedger ledger, Serializer<DocumentChange> serializer, String topic,
                            Counter quarantined, Clock clock) {
        this.ledger = ledger;
        this.serializer = serializer;
        this.topic = topic;
        this.quarantined = quarantined;
        this.clock = clock;
    }

    static String recordOf(DocumentChange change) {
        return "document:" + change.getDocumentId() + "@" + change.getVersion();
    }

    /** True when the change already failed often enough (its dead letter may have been rolled back). */
    boolean quarantined(DocumentChange change) {
        return ledger.quarantined(recordOf(change));
    }

    /**
     * Counts a failure of {@code change} alone.
     *
     * @return the dead letter to write, once the change has failed the configured number of times
     * @throws RecordRetryException before that
     */
    DeadLetter failed(DocumentChange change, RuntimeException failure) {
        int failures = ledger.failed(recordOf(change));
        if (failures < ledger.attempts()) {
            throw new RecordRetryException("document " + change.getDocumentId() + " version " + change.getVersion()
                    + " failed (" + failures + " of " + ledger.attempts() + " attempts before quarantine)", failure);
        }
        return deadLetter(change, failure);
    }

    DeadLetter deadLetter(DocumentChange change, Throwable failure) {
        quarantined.increment();
        ledger.settled(recordOf(change));
        return DeadLetters.of(topic, -1, -1, change.getDocumentId().getBytes(StandardCharsets.UTF_8),
                serializer.serialize(topic, change), STAGE, change.getDocumentId(),
                new RecordFailure(STAGE, change.getDocumentId(), "version " + change.getVersion() + " failed "
                        + ledger.attempts() + " times; quarantined", failure), clock.instant());
    }

    void succeeded(DocumentChange change) {
        ledger.settled(recordOf(change));
    }
}
