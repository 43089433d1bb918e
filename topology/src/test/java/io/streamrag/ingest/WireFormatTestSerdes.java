package io.streamrag.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Test-only Confluent wire format (magic byte 0, 4-byte schema id, Avro binary) over an in-memory schema table, for
 * the unit tests until the project's registry serde is on this branch.
 */
public final class WireFormatTestSerdes {

    private static final Map<Integer, Schema> BY_ID = new ConcurrentHashMap<>();
    private static final Map<Schema, Integer> IDS = new ConcurrentHashMap<>();

    private WireFormatTestSerdes() {
    }

    public static <T extends SpecificRecord> Serde<T> specific(Class<T> type) {
        Schema reader = SpecificData.get().getSchema(type);
        return Serdes.serdeFrom(
                (topic, record) -> record == null ? null : encode(record),
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    ByteBuffer buffer = frame(bytes);
                    Schema writer = BY_ID.get(buffer.getInt());
                    try {
                        return new SpecificDatumReader<T>(writer, reader).read(null, DecoderFactory.get()
                                .binaryDecoder(bytes, buffer.position(), buffer.remaining(), null));
                    } catch (IOException | RuntimeException e) {
                        throw new SerializationException("cannot read " + type.getSimpleName(), e);
                    }
                });
    }

    public static Deserializer<Object> generic() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buffer = frame(bytes);
            Schema writer = BY_ID.get(buffer.getInt());
            try {
                return new GenericDatumReader<>(writer).read(null, DecoderFactory.get()
                        .binaryDecoder(bytes, buffer.position(), buffer.remaining(), null));
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("cannot read generic Avro", e);
            }
        };
    }

    public static byte[] encode(GenericContainer record) {
        Schema schema = record.getSchema();
        int id = IDS.computeIfAbsent(schema, s -> {
            int next = BY_ID.size() + 1;
            BY_ID.put(next, s);
            return next;
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new GenericDatumWriter<Object>(schema, SpecificData.get()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static ByteBuffer frame(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (bytes.length < 5 || buffer.get() != 0) {
            throw new SerializationException("Unknown magic byte!");
        }
        return buffer;
    }
}
