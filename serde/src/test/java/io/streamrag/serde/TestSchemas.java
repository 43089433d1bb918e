package io.streamrag.serde;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/** Small schemas, and edits of real ones, for registry and evolution tests. */
final class TestSchemas {

    private TestSchemas() {
    }

    static Schema record(String name, String... stringFields) {
        StringBuilder fields = new StringBuilder();
        for (String field : stringFields) {
            fields.append(fields.length() == 0 ? "" : ",").append("{\"name\":\"").append(field).append("\",\"type\":\"string\"}");
        }
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"" + name
                + "\",\"namespace\":\"io.streamrag.test\",\"fields\":[" + fields + "]}");
    }

    /** The schema with one more field at the end. */
    static Schema withField(Schema schema, Schema.Field added) {
        List<Schema.Field> fields = copyFields(schema);
        fields.add(added);
        return copy(schema, fields);
    }

    /** The schema without the named field. */
    static Schema withoutField(Schema schema, String removed) {
        List<Schema.Field> fields = copyFields(schema);
        if (!fields.removeIf(f -> f.name().equals(removed))) {
            throw new IllegalArgumentException(schema.getFullName() + " has no field " + removed);
        }
        return copy(schema, fields);
    }

    private static List<Schema.Field> copyFields(Schema schema) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
            fields.add(new Schema.Field(field, field.schema()));
        }
        return fields;
    }

    private static Schema copy(Schema schema, List<Schema.Field> fields) {
        Schema copy = Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
        schema.getObjectProps().forEach(copy::addProp);
        return copy;
    }
}
