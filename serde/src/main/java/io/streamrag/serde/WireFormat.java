package io.streamrag.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's framing of a registry-encoded record: magic byte 0, the schema id as a 4-byte big-endian int, then the
 * Avro binary encoding of the value.
 */
final class WireFormat {

    static final byte MAGIC_BYTE = 0;
    static final int HEADER_SIZE = 5;

    /** The header of a framed record: the schema id; the Avro payload starts at {@link #HEADER_SIZE}. */
    record Header(int schemaId) {}

    private WireFormat() {
    }

    static byte[] header(int schemaId) {
        return new byte[] {MAGIC_BYTE, (byte) (schemaId >>> 24), (byte) (schemaId >>> 16), (byte) (schemaId >>> 8),
                (byte) schemaId};
    }

    /**
     * Reads the header, refusing bytes that cannot be a framed record.
     *
     * @param where the record's place, e.g. "value of a record from topic 'docs'", for the message
     */
    static Header readHeader(byte[] bytes, String where) {
        if (bytes.length < HEADER_SIZE) {
            throw new SerializationException("Cannot deserialize the " + where + ": " + bytes.length
                    + " bytes is too short for the Schema Registry wire format (magic byte + 4-byte schema id + Avro payload)");
        }
        if (bytes[0] != MAGIC_BYTE) {
            throw new SerializationException("Cannot deserialize the " + where + ": unknown magic byte "
                    + (bytes[0] & 0xff) + ", expected 0 (not written by a Schema Registry serializer)");
        }
        int id = ((bytes[1] & 0xff) << 24) | ((bytes[2] & 0xff) << 16) | ((bytes[3] & 0xff) << 8) | (bytes[4] & 0xff);
        return new Header(id);
    }
}
