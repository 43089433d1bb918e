package io.streamrag.ingest.cdc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrag.ingest.RejectReason;
import io.streamrag.ingest.RejectedRecordException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Decodes the key and value bytes of a CDC record into plain Java values (maps for structs): JSON with or without the
 * {@code {"schema":..,"payload":..}} wrapper, or Avro through the registry's wire format.
 */
final class CdcPayloadDecoder {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CdcFormat format;
    private final Deserializer<?> avro;

    CdcPayloadDecoder(CdcFormat format, Deserializer<?> avro) {
        if (format == CdcFormat.AVRO && avro == null) {
            throw new IllegalArgumentException("an Avro CDC source needs the registry's Avro deserializer");
        }
        this.format = format;
        this.avro = avro;
    }

    /** The event's fields, or null for a tombstone (null value, or a JSON payload of null). */
    @SuppressWarnings("unchecked")
    Map<String, Object> value(String topic, byte[] bytes) {
        Object decoded = decode(topic, bytes);
        if (decoded == null) {
            return null;
        }
        if (!(decoded instanceof Map<?, ?>)) {
            throw new RejectedRecordException(RejectReason.WRONG_SCHEMA, null,
                    "CDC value is not a struct but " + decoded.getClass().getSimpleName());
        }
        return (Map<String, Object>) decoded;
    }

    /** The key: a map for a struct key, a plain value for a primitive one, null when absent. */
    Object key(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (format == CdcFormat.JSON) {
            try {
                return decode(topic, bytes);
            } catch (RejectedRecordException notJson) {
                return new String(bytes, StandardCharsets.UTF_8); // a plain string key
            }
        }
        return decode(topic, bytes);
    }

    private Object decode(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        return format == CdcFormat.JSON ? json(bytes) : avro(topic, bytes);
    }

    private static Object json(byte[] bytes) {
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new RejectedRecordException(RejectReason.UNPARSEABLE, null,
                    "CDC record is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new RejectedRecordException(RejectReason.UNPARSEABLE, null, "CDC record is not JSON", e);
        }
        if (node == null || node.isMissingNode()) {
            throw new RejectedRecordException(RejectReason.UNPARSEABLE, null, "CDC record is empty");
        }
        // JsonConverter with schemas.enable=true wraps every key and value
        if (node.isObject() && node.size() == 2 && node.has("schema") && node.has("payload")) {
            node = node.get("payload");
        }
        return node.isNull() ? null : JSON.convertValue(node, Object.class);
    }

    private Object avro(String topic, byte[] bytes) {
        try {
            return AvroRecords.plain(avro.deserialize(topic, bytes));
        } catch (RuntimeException e) {
            throw new RejectedRecordException(RejectReason.UNPARSEABLE, null,
                    "CDC record is not readable Avro in the registry wire format", e);
        }
    }
}
