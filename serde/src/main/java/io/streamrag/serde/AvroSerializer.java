package io.streamrag.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes an Avro record (generated or generic) in the Schema Registry wire format. The schema id comes from
 * registering the record's schema under its subject ({@code auto.register.schemas}, the default), from looking it up,
 * or, with {@code use.latest.version}, from the subject's latest version (the record is then rewritten in that schema).
 * Schema problems (incompatible, not registered) throw {@link SerializationException}; an unreachable or refusing
 * registry throws {@link RegistryUnavailableException} / {@link RegistryAuthorizationException} unchanged.
 */
public class AvroSerializer<T> implements Serializer<T> {

    private record SubjectSchema(String subject, Schema schema) {}

    private record Latest(RegisteredSchema registered, long fetchedAtNanos) {}

    /** Reading a record of one schema as the subject's latest schema (use.latest.version). */
    private record Projection(Schema recordSchema, int latestId) {}

    private SchemaRegistryClient client;
    private AvroSerdeConfig config;
    private boolean isKey;
    private final ConcurrentMap<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Latest> latestBySubject = new ConcurrentHashMap<>();
    private final ConcurrentMap<Projection, GenericDatumReader<Object>> projections = new ConcurrentHashMap<>();
    private final ConcurrentMap<Schema, DatumWriter<Object>> genericWriters = new ConcurrentHashMap<>();
    private final ConcurrentMap<Class<?>, DatumWriter<Object>> specificWriters = new ConcurrentHashMap<>();

    /** For Kafka's by-class-name configuration: the client is built from {@code schema.registry.url}. */
    public AvroSerializer() {
    }

    /** Uses this client instead of building one from the configuration. */
    public AvroSerializer(SchemaRegistryClient client) {
        this.client = client;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroTrust.trustGeneratedClasses();
        this.config = AvroSerdeConfig.from(configs);
        this.isKey = isKey;
        if (client == null) {
            client = SchemaRegistryClients.create(config.registry());
        }
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null; // tombstone
        }
        if (config == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        if (!(data instanceof GenericContainer record)) {
            throw new SerializationException("AvroSerializer writes Avro records (GenericContainer), got "
                    + data.getClass().getName() + " for topic '" + topic + "'");
        }
        Schema schema = record.getSchema();
        String subject = config.subjectNameStrategy(isKey).subjectName(topic, isKey, schema);
        if (config.useLatestVersion()) {
            RegisteredSchema latest = latest(subject, topic);
            if (latest.schema().equals(schema)) {
                return write(latest.id(), schema, data);
            }
            return write(latest.id(), latest.schema(), inLatestSchema(data, schema, latest, topic));
        }
        return write(schemaId(subject, schema, topic), schema, data);
    }

    private int schemaId(String subject, Schema schema, String topic) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = ids.get(key);
        if (cached != null) {
            return cached;
        }
        int id;
        try {
            id = config.autoRegisterSchemas() ? client.register(subject, schema) : client.lookUpId(subject, schema);
        } catch (SchemaRegistryException e) {
            throw asSerializationProblem(e, (config.autoRegisterSchemas() ? "register" : "look up") + " schema "
                    + schema.getFullName() + " under subject '" + subject + "' for topic '" + topic + "'");
        }
        ids.putIfAbsent(key, id);
        return id;
    }

    private RegisteredSchema latest(String subject, String topic) {
        Latest cached = latestBySubject.get(subject);
        long now = System.nanoTime();
        if (cached != null && config.latestCacheTtl()
                .map(ttl -> now - cached.fetchedAtNanos() < ttl.toNanos()).orElse(true)) {
            return cached.registered();
        }
        try {
            RegisteredSchema latest = client.latest(subject);
            latestBySubject.put(subject, new Latest(latest, now));
            return latest;
        } catch (SchemaRegistryException e) {
            throw asSerializationProblem(e, "fetch the latest schema of subject '" + subject + "' for topic '" + topic + "'");
        }
    }

    /** Rewrites the record in the latest schema, which must be able to read it (Confluent's strict check). */
    private Object inLatestSchema(Object data, Schema recordSchema, RegisteredSchema latest, String topic) {
        GenericDatumReader<Object> projection = projections.computeIfAbsent(
                new Projection(recordSchema, latest.id()), p -> projection(recordSchema, latest, topic));
        byte[] ownEncoding = avroBytes(recordSchema, data);
        try {
            return projection.read(null, DecoderFactory.get().binaryDecoder(ownEncoding, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("use.latest.version: cannot rewrite a " + recordSchema.getFullName()
                    + " record in schema id " + latest.id() + " for topic '" + topic + "': " + e.getMessage(), e);
        }
    }

    private static GenericDatumReader<Object> projection(Schema recordSchema, RegisteredSchema latest, String topic) {
        SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(latest.schema(), recordSchema);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerializationException("use.latest.version: the latest schema of subject '" + latest.subject()
                    + "' (id " + latest.id() + ", version " + latest.version() + ") cannot represent a "
                    + recordSchema.getFullName() + " record for topic '" + topic + "': " + Incompatibilities.describe(compatibility));
        }
        return new GenericDatumReader<>(recordSchema, latest.schema(), GenericData.get());
    }

    private byte[] write(int schemaId, Schema writerSchema, Object data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(WireFormat.header(schemaId));
        encode(writerSchema, data, out);
        return out.toByteArray();
    }

    private byte[] avroBytes(Schema schema, Object data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        encode(schema, data, out);
        return out.toByteArray();
    }

    private void encode(Schema schema, Object data, ByteArrayOutputStream out) {
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            writerFor(schema, data).write(data, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot encode a " + schema.getFullName() + " record as Avro: "
                    + e.getMessage(), e);
        }
    }

    /** Generated classes are written through their own model, which holds their logical-type conversions. */
    private DatumWriter<Object> writerFor(Schema schema, Object data) {
        if (data instanceof SpecificRecord && ((SpecificRecord) data).getSchema().equals(schema)) {
            return specificWriters.computeIfAbsent(data.getClass(),
                    type -> new SpecificDatumWriter<>(schema, SpecificData.getForClass(type)));
        }
        return genericWriters.computeIfAbsent(schema, s -> new GenericDatumWriter<>(s, GenericData.get()));
    }

    /** Schema problems are the record's fault (dead-letter them); an outage or refused credentials are not. */
    private static RuntimeException asSerializationProblem(SchemaRegistryException e, String action) {
        if (e instanceof RegistryUnavailableException || e instanceof RegistryAuthorizationException) {
            return e;
        }
        return new SerializationException("Cannot " + action + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        // the client holds no resources that outlive the JVM's HttpClient; caches go with this object
    }
}
