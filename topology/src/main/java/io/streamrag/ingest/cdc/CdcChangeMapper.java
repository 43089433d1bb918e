package io.streamrag.ingest.cdc;

import io.streamrag.ingest.ChangeValidator;
import io.streamrag.ingest.DeadLetters;
import io.streamrag.ingest.RejectedRecordException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns the records of one CDC source into document changes keyed by document id (a null value deletes the
 * document's current state); records it cannot read go to the dead-letter sink and the stream goes on.
 */
public final class CdcChangeMapper implements Processor<byte[], byte[], String, SpecificRecord> {

    private final CdcPayloadDecoder decoder;
    private final DebeziumChangeReader reader;
    private final ChangeValidator validator;
    private final DeadLetters deadLetters;
    private final String changesChild;
    private final String deadLettersChild;
    private ProcessorContext<String, SpecificRecord> context;

    public CdcChangeMapper(CdcSource source, Deserializer<?> avro, ChangeValidator validator,
                           DeadLetters deadLetters, String changesChild, String deadLettersChild) {
        this.decoder = new CdcPayloadDecoder(source.format(), avro);
        this.reader = new DebeziumChangeReader(source.name(), source.mapping());
        this.validator = validator;
        this.deadLetters = deadLetters;
        this.changesChild = changesChild;
        this.deadLettersChild = deadLettersChild;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String topic = context.recordMetadata().map(m -> m.topic()).orElse("");
        MappedChange mapped;
        try {
            mapped = reader.read(decoder.key(topic, record.key()), decoder.value(topic, record.value()),
                    record.timestamp());
            if (mapped.change() != null) {
                validator.check(mapped.change());
            }
        } catch (RejectedRecordException rejection) {
            context.forward(new Record<String, SpecificRecord>(rejection.documentId(),
                    deadLetters.of(context, record, rejection), record.timestamp()), deadLettersChild);
            return;
        }
        context.forward(new Record<String, SpecificRecord>(mapped.documentId(), mapped.change(), record.timestamp()),
                changesChild);
    }
}
