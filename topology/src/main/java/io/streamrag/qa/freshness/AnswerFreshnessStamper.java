package io.streamrag.qa.freshness;

import io.streamrag.contracts.Answer;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.contracts.RetrievedDocument;
import io.streamrag.qa.WallClock;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Stamps each answer on its way out with how fresh it is: {@code indexPosition}, in consistency-token form, the
 * version of every passage it rests on, as retrieved (a client compares it with its own writes), and
 * {@code storeAgeMs}, the time since the newest change this QA role saw applied.
 */
public final class AnswerFreshnessStamper implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private final FreshnessStores stores;
    private final WallClock clock;
    private final String answersSink;
    private ProcessorContext<String, SpecificRecord> context;
    private AppliedVersions applied;

    public AnswerFreshnessStamper(FreshnessStores stores, WallClock clock, String answersSink) {
        this.stores = stores;
        this.clock = clock;
        this.answersSink = answersSink;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        ReadOnlyKeyValueStore<String, IndexUpdate> updates = context.getStateStore(stores.appliedStore());
        this.applied = stores.appliedVersions(updates);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (record.value() instanceof Answer answer) {
            ConsistencyToken position = ConsistencyToken.empty();
            for (RetrievedDocument document : answer.getDocuments()) {
                if (document.getVersion() != null) {
                    position = position.with(document.getDocumentId(), document.getVersion());
                }
            }
            Long lastApplied = applied.lastAppliedMs();
            answer.setIndexPosition(position.isEmpty() ? null : position.toString());
            answer.setStoreAgeMs(lastApplied == null ? null : Math.max(0, clock.nowMs() - lastApplied));
        }
        context.forward(record, answersSink);
    }
}
