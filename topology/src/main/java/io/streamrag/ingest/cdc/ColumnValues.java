package io.streamrag.ingest.cdc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Column values as Debezium's converters deliver them (already decoded to Java maps, lists, strings, numbers and
 * booleans), read as document fields.
 */
final class ColumnValues {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ColumnValues() {
    }

    /** Text of a column; structured values as JSON. */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof ByteBuffer buffer) {
            return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            try {
                return JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON", e);
            }
        }
        return value.toString();
    }

    /**
     * A version: integers as they are (LSN, row version, MicroTimestamp, epoch millis), decimal strings as numbers,
     * ISO-8601 timestamps (ZonedTimestamp, or local date-times taken as UTC) as epoch microseconds.
     */
    static long version(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof java.math.BigInteger big) {
            return big.longValueExact();
        }
        if (value instanceof CharSequence chars) {
            String text = chars.toString().strip();
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException notAnInteger) {
                return epochMicros(text);
            }
        }
        throw new IllegalArgumentException("not an integer or a timestamp: " + value
                + (value == null ? "" : " (" + value.getClass().getSimpleName() + ")"));
    }

    private static long epochMicros(String text) {
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                instant = LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                throw new IllegalArgumentException("not an integer or an ISO-8601 timestamp: " + text, notLocal);
            }
        }
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000L);
    }

    /** True for boolean true, "true"/"t"/"1"/"yes" and non-zero numbers. */
    static boolean truthy(Object value) {
        if (value instanceof Boolean flag) {
            return flag;
        }
        if (value instanceof Number number) {
            return number.longValue() != 0;
        }
        if (value instanceof CharSequence chars) {
            String text = chars.toString().strip().toLowerCase();
            return text.equals("true") || text.equals("t") || text.equals("1") || text.equals("yes");
        }
        return false;
    }

    /** The top-level fields of a JSON object column (a JSON string as io.debezium.data.Json writes it, or a map). */
    static Map<String, String> metadataObject(Object value) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (value == null) {
            return metadata;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (v != null) {
                    metadata.put(String.valueOf(k), text(v));
                }
            });
            return metadata;
        }
        JsonNode node;
        try {
            node = JSON.readTree(text(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata column is not JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || node.isNull()) {
            return metadata;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("metadata column is JSON but not an object: " + node.getNodeType());
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode v = field.getValue();
            if (!v.isNull()) {
                metadata.put(field.getKey(), v.isValueNode() ? v.asText() : v.toString());
            }
        }
        return metadata;
    }
}
