package io.streamrag.ingest;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Where input records enter: reads each with its source's {@link ChangeReader}, checks it with the
 * {@link ChangeValidator} and forwards it keyed by document id (a null value deletes the document's current state);
 * a record that cannot become a change goes to the dead-letter sink instead, keyed by its original key bytes like
 * the application's dead-letter handlers do (a replay lands on the same partition), and the stream goes on. Output
 * keys are therefore document ids (Strings) towards the indexer and raw bytes towards the dead-letter sink.
 */
public final class ChangeIntake implements Processor<byte[], byte[], Object, SpecificRecord> {

    private final ChangeReader reader;
    private final ChangeValidator validator;
    private final RejectedRecords rejected;
    private final String changesChild;
    private final String deadLettersChild;
    private ProcessorContext<Object, SpecificRecord> context;

    public ChangeIntake(ChangeReader reader, ChangeValidator validator, RejectedRecords rejected,
                        String changesChild, String deadLettersChild) {
        this.reader = reader;
        this.validator = validator;
        this.rejected = rejected;
        this.changesChild = changesChild;
        this.deadLettersChild = deadLettersChild;
    }

    @Override
    public void init(ProcessorContext<Object, SpecificRecord> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        MappedChange mapped;
        try {
            mapped = reader.read(topic, record.key(), record.value(), record.timestamp());
            if (mapped.change() != null) {
                validator.check(mapped.change());
            }
        } catch (RejectedRecordException rejection) {
            context.forward(new Record<Object, SpecificRecord>(record.key(),
                    rejected.deadLetter(context, record, rejection), record.timestamp()), deadLettersChild);
            return;
        }
        context.forward(new Record<Object, SpecificRecord>(mapped.documentId(), mapped.change(), record.timestamp()),
                changesChild);
    }
}
