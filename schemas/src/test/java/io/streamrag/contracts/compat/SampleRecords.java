package io.streamrag.contracts.compat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * A fully populated value for any schema, deterministic and derived from field names: optional fields take their
 * non-null branch so every field travels, maps and arrays hold one element, enums their first symbol.
 */
final class SampleRecords {

    private SampleRecords() {
    }

    static Object sample(Schema schema, String hint) {
        switch (schema.getType()) {
            case RECORD:
                GenericData.Record record = new GenericData.Record(schema);
                for (Schema.Field field : schema.getFields()) {
                    record.put(field.pos(), sample(field.schema(), field.name()));
                }
                return record;
            case UNION:
                Schema branch = schema.getTypes().stream()
                        .filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElse(schema.getTypes().get(0));
                return sample(branch, hint);
            case ENUM:
                return new GenericData.EnumSymbol(schema, schema.getEnumSymbols().get(0));
            case ARRAY:
                return new GenericData.Array<>(schema, List.of(sample(schema.getElementType(), hint + "[0]")));
            case MAP:
                return Map.of(hint + "-key", sample(schema.getValueType(), hint + "-value"));
            case STRING:
                return hint + "-text";
            case BYTES:
                return ByteBuffer.wrap(hint.getBytes(StandardCharsets.UTF_8));
            case FIXED:
                return new GenericData.Fixed(schema, new byte[schema.getFixedSize()]);
            case INT:
                return 7 + hint.length();
            case LONG:
                return 1_767_225_600_000L + hint.length();
            case FLOAT:
                return 0.25f * hint.length();
            case DOUBLE:
                return 0.125 * hint.length();
            case BOOLEAN:
                return true;
            case NULL:
                return null;
            default:
                throw new IllegalArgumentException("No sample for " + schema);
        }
    }
}
