package io.streamrag.ingest;

/** Reads one input record of some source format as a change of one document. */
public interface ChangeReader {

    /**
     * @param topic     the record's topic (the registry serdes name subjects after it)
     * @param timestamp the record's timestamp, the event time of last resort
     * @throws RejectedRecordException when the record is the reason it cannot be read (it is dead-lettered);
     *                                 any other exception is not the record's fault and fails the stream thread
     */
    MappedChange read(String topic, byte[] key, byte[] value, long timestamp);
}
