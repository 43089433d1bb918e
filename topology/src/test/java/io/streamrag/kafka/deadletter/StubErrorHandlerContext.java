package io.streamrag.kafka.deadletter;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;

/** What Kafka Streams hands a handler about the failed record, with fixed values. */
record StubErrorHandlerContext(String topic, int partition, long offset, String processorNodeId,
                               byte[] sourceRawKey, byte[] sourceRawValue) implements ErrorHandlerContext {

    @Override
    public Headers headers() {
        return new RecordHeaders();
    }

    @Override
    public TaskId taskId() {
        return new TaskId(0, partition);
    }

    @Override
    public long timestamp() {
        return 0L;
    }
}
