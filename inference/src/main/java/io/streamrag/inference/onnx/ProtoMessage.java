package io.streamrag.inference.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One protobuf message as a list of fields, sized before it is written so nested messages are encoded straight into
 * the final array (no intermediate copy per level: a BERT-base graph carries 440 MB of weights).
 *
 * <p>The encoding itself is protobuf-java's {@link CodedOutputStream}; only the field numbers are ours (see
 * {@link OnnxGraph}). Float payloads are produced on demand by a supplier, so a weight matrix exists on the heap
 * only while it is being written.
 */
final class ProtoMessage {
    private interface Field {
        int size();

        void writeTo(CodedOutputStream out) throws IOException;
    }

    private final List<Field> fields = new ArrayList<>();
    private int size = -1;

    ProtoMessage string(int number, String value) {
        return add(new Field() {
            public int size() {
                return CodedOutputStream.computeStringSize(number, value);
            }

            public void writeTo(CodedOutputStream out) throws IOException {
                out.writeString(number, value);
            }
        });
    }

    ProtoMessage int64(int number, long value) {
        return add(new Field() {
            public int size() {
                return CodedOutputStream.computeInt64Size(number, value);
            }

            public void writeTo(CodedOutputStream out) throws IOException {
                out.writeInt64(number, value);
            }
        });
    }

    ProtoMessage float32(int number, float value) {
        return add(new Field() {
            public int size() {
                return CodedOutputStream.computeFloatSize(number, value);
            }

            public void writeTo(CodedOutputStream out) throws IOException {
                out.writeFloat(number, value);
            }
        });
    }

    ProtoMessage message(int number, ProtoMessage value) {
        return add(new Field() {
            public int size() {
                return CodedOutputStream.computeTagSize(number)
                        + CodedOutputStream.computeUInt32SizeNoTag(value.size()) + value.size();
            }

            public void writeTo(CodedOutputStream out) throws IOException {
                out.writeTag(number, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(value.size());
                value.writeTo(out);
            }
        });
    }

    /**
     * A bytes field holding {@code count} little-endian float32 values (ONNX {@code raw_data}); the supplier is asked
     * for them only when the message is written.
     */
    ProtoMessage floatBytes(int number, long count, Supplier<float[]> values) {
        long bytes = count * Float.BYTES;
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a tensor of " + count + " floats exceeds protobuf's 2 GiB limit");
        }
        return add(new Field() {
            public int size() {
                return CodedOutputStream.computeTagSize(number)
                        + CodedOutputStream.computeUInt32SizeNoTag((int) bytes) + (int) bytes;
            }

            public void writeTo(CodedOutputStream out) throws IOException {
                float[] v = values.get();
                if (v.length != count) {
                    throw new IllegalStateException("tensor data has " + v.length + " values, expected " + count);
                }
                out.writeTag(number, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag((int) bytes);
                for (float f : v) {
                    out.writeFixed32NoTag(Float.floatToRawIntBits(f));
                }
            }
        });
    }

    int size() {
        if (size < 0) {
            long total = 0;
            for (Field f : fields) {
                total += f.size();
            }
            if (total > Integer.MAX_VALUE) {
                throw new IllegalStateException("message of " + total + " bytes exceeds protobuf's 2 GiB limit");
            }
            size = (int) total;
        }
        return size;
    }

    void writeTo(CodedOutputStream out) throws IOException {
        for (Field f : fields) {
            f.writeTo(out);
        }
    }

    byte[] toByteArray() {
        byte[] bytes = new byte[size()];
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            writeTo(out);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new IllegalStateException("protobuf size computation disagrees with the written bytes", e);
        }
        return bytes;
    }

    private ProtoMessage add(Field field) {
        if (size >= 0) {
            throw new IllegalStateException("message already sized");
        }
        fields.add(field);
        return this;
    }
}
