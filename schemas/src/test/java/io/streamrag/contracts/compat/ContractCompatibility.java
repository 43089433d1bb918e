package io.streamrag.contracts.compat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/** The promise every contract keeps towards its released version: BACKWARD and FORWARD (i.e. FULL) compatibility. */
final class ContractCompatibility {

    private ContractCompatibility() {
    }

    /** What breaks, in words; empty when the current schema is BACKWARD and FORWARD compatible with the baseline. */
    static List<String> problems(Schema current, Schema baseline) {
        List<String> problems = new ArrayList<>();
        SchemaPairCompatibility backward = SchemaCompatibility.checkReaderWriterCompatibility(current, baseline);
        if (backward.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            problems.add("BACKWARD: the current reader cannot read data written with the released schema: "
                    + describe(backward, current));
        }
        SchemaPairCompatibility forward = SchemaCompatibility.checkReaderWriterCompatibility(baseline, current);
        if (forward.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            problems.add("FORWARD: readers of the released schema cannot read data written with the current one: "
                    + describe(forward, baseline));
        }
        return problems;
    }

    /** Each incompatibility with its location spelled as field names, e.g. {@code source.system: ...}. */
    private static String describe(SchemaPairCompatibility result, Schema reader) {
        List<String> parts = new ArrayList<>();
        for (SchemaCompatibility.Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            parts.add(fieldPath(reader, incompatibility.getLocation()) + ": " + incompatibility.getType() + " ("
                    + incompatibility.getMessage() + ")");
        }
        return String.join("; ", parts);
    }

    /** Turns a JSON-pointer-like location ("/fields/2/type") into field names ("version"). */
    private static String fieldPath(Schema reader, String location) {
        List<String> names = new ArrayList<>();
        Schema schema = reader;
        String[] segments = location.split("/");
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].equals("fields") && i + 1 < segments.length && schema != null
                    && schema.getType() == Schema.Type.RECORD) {
                Schema.Field field = schema.getFields().get(Integer.parseInt(segments[++i]));
                names.add(field.name());
                schema = field.schema();
            } else if (segments[i].equals("items") && schema != null && schema.getType() == Schema.Type.ARRAY) {
                schema = schema.getElementType();
            } else if (segments[i].equals("values") && schema != null && schema.getType() == Schema.Type.MAP) {
                schema = schema.getValueType();
            } else if (segments[i].matches("\\d+") && schema != null && schema.getType() == Schema.Type.UNION) {
                schema = schema.getTypes().get(Integer.parseInt(segments[i]));
            }
        }
        return names.isEmpty() ? location : String.join(".", names) + " [" + location + "]";
    }

    /** Writes the datum with the writer schema and reads it with the reader schema, as Avro resolution does. */
    static Object writeThenRead(Object datum, Schema writer, Schema reader) {
        return read(encode(datum, writer), writer, new GenericDatumReader<>(writer, reader, GenericData.get()));
    }

    static Object read(byte[] bytes, Schema writer, DatumReader<?> reader) {
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] encode(Object datum, Schema schema) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<>(schema, GenericData.get()).write(datum, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The record as it looks after a trip through a schema that lacks some of its top-level fields: those fields
     * take their default.
     */
    /**
     * The record as a reader of {@code other} would hand it back: fields {@code other} lacks take their defaults,
     * also inside nested records and arrays of records (a field added to {@code RetrievedDocument} is dropped by
     * a released reader just like a top-level one).
     */
    static GenericData.Record withDefaultsForFieldsMissingIn(GenericData.Record record, Schema other) {
        GenericData.Record expected = new GenericData.Record(record, true);
        for (Schema.Field field : record.getSchema().getFields()) {
            Schema.Field released = other.getField(field.name());
            if (released == null) {
                expected.put(field.pos(), GenericData.get().getDefaultValue(field));
            } else {
                expected.put(field.pos(), withDefaultsIn(expected.get(field.pos()), released.schema()));
            }
        }
        return expected;
    }

    private static Object withDefaultsIn(Object value, Schema other) {
        if (value instanceof GenericData.Record nested) {
            Schema released = recordBranch(other, nested.getSchema().getFullName());
            return released == null ? nested : withDefaultsForFieldsMissingIn(nested, released);
        }
        if (value instanceof java.util.List<?> items && recordBranch(other, null) == null
                && other.getType() == Schema.Type.ARRAY) {
            java.util.List<Object> copy = new java.util.ArrayList<>(items.size());
            for (Object item : items) {
                copy.add(withDefaultsIn(item, other.getElementType()));
            }
            return copy;
        }
        return value;
    }

    /** The record schema named {@code fullName} (any record when null) in {@code schema} or its union branches. */
    private static Schema recordBranch(Schema schema, String fullName) {
        if (schema.getType() == Schema.Type.RECORD) {
            return fullName == null || schema.getFullName().equals(fullName) ? schema : null;
        }
        if (schema.getType() == Schema.Type.UNION) {
            for (Schema branch : schema.getTypes()) {
                Schema found = recordBranch(branch, fullName);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
