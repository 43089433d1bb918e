package io.streamrag.ingest;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.serde.RegistryUnavailableException;
import java.net.ConnectException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** A registry outage is not the record's fault: it fails the stream thread instead of dead-lettering good records. */
class ChangeIntakeTest {

    @Test
    void anUnreachableRegistryFailsInsteadOfDeadLettering() {
        Deserializer<DocumentChange> registryDown = (topic, bytes) -> {
            throw new RegistryUnavailableException("no registry URL answered", new ConnectException("refused"));
        };
        ChangeIntake intake = new ChangeIntake(new DocumentChangeReader(registryDown), new ChangeValidator(100),
                new RejectedRecords(new IngestMetrics(new SimpleMeterRegistry())), "indexer", "dead-letters");
        MockProcessorContext<Object, SpecificRecord> context = new MockProcessorContext<>();
        context.setRecordMetadata("document-changes", 0, 3);
        intake.init(context);

        assertThatThrownBy(() -> intake.process(new Record<>(new byte[] {1}, new byte[] {0, 0, 0, 0, 1, 2}, 0L)))
                .isInstanceOf(RegistryUnavailableException.class);
        assertThat(context.forwarded()).isEmpty();
    }
}
