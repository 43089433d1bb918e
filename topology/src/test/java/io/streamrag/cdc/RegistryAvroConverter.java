package io.streamrag.cdc;

import io.streamrag.serde.GenericAvroSerde;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.storage.Converter;

/**
 * A Kafka Connect converter that writes Connect data as Avro in the Schema Registry wire format, through this
 * project's registry serde: the stand-in for Confluent's {@code AvroConverter}, which is not on Maven Central. It lets
 * the real Debezium connector in a real Connect worker produce Avro change events in tests (the shipped connector
 * configs use Confluent's converter; the bytes on the topic have the same framing: magic byte, schema id, Avro body,
 * subjects {@code <topic>-key} / {@code <topic>-value}).
 *
 * <p>Connect schemas map onto Avro as Confluent's converter maps them for the types Debezium's PostgreSQL connector
 * uses here: integers, floats, booleans, strings, bytes, structs (records named after the Connect schema, reused
 * by name, so {@code before} and {@code after} share one record), arrays, maps; an optional schema becomes a union
 * with null, default null. Logical types travel as their underlying types. Test-only: it writes, never reads.
 */
public final class RegistryAvroConverter implements Converter {

    private Serializer<GenericRecord> serializer;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        GenericAvroSerde serde = new GenericAvroSerde();
        serde.configure(Map.of("schema.registry.url", configs.get("schema.registry.url")), isKey);
        serializer = serde.serializer();
    }

    @Override
    public byte[] fromConnectData(String topic, org.apache.kafka.connect.data.Schema schema, Object value) {
        if (value == null) {
            return null; // a tombstone stays one
        }
        if (schema == null || schema.type() != org.apache.kafka.connect.data.Schema.Type.STRUCT) {
            throw new IllegalArgumentException("only struct keys and values are converted, not " + schema);
        }
        Map<String, Schema> named = new HashMap<>();
        Schema avro = nonNull(schema, named);
        return serializer.serialize(topic, (GenericRecord) value(avro, (Struct) value));
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        throw new UnsupportedOperationException("this test converter only writes");
    }

    private static Schema schema(org.apache.kafka.connect.data.Schema connect, Map<String, Schema> named) {
        Schema base = nonNull(connect, named);
        return connect.isOptional() ? Schema.createUnion(List.of(Schema.create(Schema.Type.NULL), base)) : base;
    }

    private static Schema nonNull(org.apache.kafka.connect.data.Schema connect, Map<String, Schema> named) {
        return switch (connect.type()) {
            case INT8, INT16, INT32 -> Schema.create(Schema.Type.INT);
            case INT64 -> Schema.create(Schema.Type.LONG);
            case FLOAT32 -> Schema.create(Schema.Type.FLOAT);
            case FLOAT64 -> Schema.create(Schema.Type.DOUBLE);
            case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
            case STRING -> Schema.create(Schema.Type.STRING);
            case BYTES -> Schema.create(Schema.Type.BYTES);
            case ARRAY -> Schema.createArray(schema(connect.valueSchema(), named));
            case MAP -> Schema.createMap(schema(connect.valueSchema(), named));
            case STRUCT -> record(connect, named);
        };
    }

    private static Schema record(org.apache.kafka.connect.data.Schema connect, Map<String, Schema> named) {
        String fullName = connect.name() == null ? "ConnectDefault" + named.size()
                : connect.name().replaceAll("[^A-Za-z0-9_.]", "_");
        Schema known = named.get(fullName);
        if (known != null) {
            return known;
        }
        int dot = fullName.lastIndexOf('.');
        Schema record = Schema.createRecord(fullName.substring(dot + 1), null,
                dot < 0 ? null : fullName.substring(0, dot), false);
        named.put(fullName, record);
        List<Schema.Field> fields = connect.fields().stream().map(field -> {
            Schema type = schema(field.schema(), named);
            return field.schema().isOptional()
                    ? new Schema.Field(field.name(), type, null, Schema.Field.NULL_DEFAULT_VALUE)
                    : new Schema.Field(field.name(), type);
        }).toList();
        record.setFields(fields);
        return record;
    }

    private static Object value(Schema avro, Object connect) {
        if (connect == null) {
            return null;
        }
        if (avro.getType() == Schema.Type.UNION) {
            return value(avro.getTypes().get(1), connect);
        }
        return switch (avro.getType()) {
            case RECORD -> {
                Struct struct = (Struct) connect;
                GenericData.Record record = new GenericData.Record(avro);
                for (Field field : struct.schema().fields()) {
                    record.put(field.name(), value(avro.getField(field.name()).schema(), struct.get(field)));
                }
                yield record;
            }
            case INT -> ((Number) connect).intValue();
            case BYTES -> connect instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : connect;
            case ARRAY -> ((List<?>) connect).stream().map(item -> value(avro.getElementType(), item)).toList();
            case MAP -> {
                Map<String, Object> map = new HashMap<>();
                ((Map<?, ?>) connect).forEach((k, v) -> map.put(String.valueOf(k), value(avro.getValueType(), v)));
                yield map;
            }
            default -> connect;
        };
    }
}
