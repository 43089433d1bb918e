package io.streamrag.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the Schema Registry wire format: resolves the writer schema by the id in the header and reads the payload
 * into the reader schema, so records written with an older or newer compatible schema are read correctly. The reader
 * schema is a generated class's (given, or found by the writer's name with {@code specific.avro.reader=true}) or
 * otherwise the writer's own (GenericRecord).
 *
 * <p>Bad bytes (null-free but too short, wrong magic byte, an id the registry does not know, a payload that does not
 * decode or has bytes left over, a writer schema the reader cannot read) throw {@link SerializationException} naming the
 * problem, the topic and the schema id, so a topology can route the record to the dead-letter topic. An unreachable
 * registry is not the record's fault and throws {@link RegistryUnavailableException}.
 */
public class AvroDeserializer<T> implements Deserializer<T> {

    private final Class<? extends SpecificRecord> specificType;
    private SchemaRegistryClient client;
    private boolean specificReader;
    private boolean isKey;
    private boolean configured;
    private final ConcurrentMap<Integer, DatumReader<T>> readersBySchemaId = new ConcurrentHashMap<>();

    /** For Kafka's by-class-name configuration: GenericRecord unless {@code specific.avro.reader=true}. */
    public AvroDeserializer() {
        this(null, null);
    }

    /** Uses this client instead of building one from the configuration. */
    public AvroDeserializer(SchemaRegistryClient client) {
        this(null, client);
    }

    /** Reads into this generated class; its schema is the reader schema. */
    public AvroDeserializer(Class<? extends SpecificRecord> specificType, SchemaRegistryClient client) {
        this.specificType = specificType;
        this.client = client;
        this.specificReader = specificType != null;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroTrust.trustGeneratedClasses();
        AvroSerdeConfig config = AvroSerdeConfig.from(configs);
        this.isKey = isKey;
        this.specificReader = specificType != null || config.specificAvroReader();
        if (client == null) {
            client = SchemaRegistryClients.create(config.registry());
        }
        configured = true;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null; // tombstone
        }
        if (!configured) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        String where = (isKey ? "key" : "value") + " of a record from topic '" + topic + "'";
        int schemaId = WireFormat.readHeader(data, where).schemaId();
        DatumReader<T> reader = readersBySchemaId.computeIfAbsent(schemaId, id -> readerFor(id, where));
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null);
        T value;
        try {
            value = reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot deserialize the " + where + " with schema id " + schemaId
                    + ": the Avro payload (" + (data.length - WireFormat.HEADER_SIZE) + " bytes) is truncated or corrupt: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
        int left = remaining(decoder);
        if (left > 0) {
            throw new SerializationException("Cannot deserialize the " + where + " with schema id " + schemaId
                    + ": " + left + " bytes left after the Avro payload (corrupt, or not written with this schema)");
        }
        return value;
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        return deserialize(topic, data);
    }

    private DatumReader<T> readerFor(int schemaId, String where) {
        Schema writer;
        try {
            writer = client.schemaById(schemaId);
        } catch (SchemaNotFoundException e) {
            throw new SerializationException("Cannot deserialize the " + where + ": unknown schema id " + schemaId
                    + " (the registry has no schema with this id): " + e.getMessage(), e);
        } catch (RegistryUnavailableException | RegistryAuthorizationException e) {
            throw e;
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Cannot deserialize the " + where + ": fetching schema id " + schemaId
                    + " failed: " + e.getMessage(), e);
        }
        if (!specificReader) {
            return new GenericDatumReader<>(writer, writer, GenericData.get());
        }
        Class<?> type = specificType != null ? specificType : SpecificData.get().getClass(writer);
        if (type == null) {
            throw new SerializationException("Cannot deserialize the " + where + " with schema id " + schemaId
                    + ": specific.avro.reader is set but no generated class for " + writer.getFullName() + " is on the classpath");
        }
        SpecificData model = SpecificData.getForClass(type);
        Schema reader = model.getSchema(type);
        SchemaPairCompatibility compatibility = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerializationException("Cannot deserialize the " + where + ": writer schema id " + schemaId
                    + " (" + writer.getFullName() + ") cannot be read as " + type.getName() + ": "
                    + Incompatibilities.describe(compatibility));
        }
        return new SpecificDatumReader<>(writer, reader, model);
    }

    /** Bytes the decoder did not consume; a well-formed payload has none. */
    private static int remaining(BinaryDecoder decoder) {
        try {
            return decoder.isEnd() ? 0 : decoder.inputStream().available();
        } catch (IOException e) {
            throw new SerializationException("Cannot check the end of the Avro payload", e);
        }
    }

    @Override
    public void close() {
        // nothing to release: the registry client is shared and holds no open connections of ours
    }
}
