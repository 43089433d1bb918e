package io.streamrag.inference.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Builds an ONNX model (a {@code ModelProto}) node by node and serialises it for ONNX Runtime.
 *
 * <p>The message layout is written here by hand with the field numbers of the documented {@code onnx/onnx.proto}
 * (IR version 8): no jar we can reach ships generated ONNX classes (not ONNX Runtime's Java API, not DJL), and we
 * write only the handful of fields a graph of tensors needs. The wire encoding is protobuf-java's.
 */
public final class OnnxGraph {
    /** ONNX TensorProto.DataType values. */
    public static final int FLOAT = 1;
    public static final int INT32 = 6;
    public static final int INT64 = 7;

    /** ModelProto.ir_version we declare: IR 8 goes with opset 17. */
    private static final long IR_VERSION = 8;
    private static final long OPSET = 17;
    private static final long MICROSOFT_OPSET = 1;
    public static final String MICROSOFT = "com.microsoft";

    // AttributeProto.AttributeType
    private static final int ATTR_FLOAT = 1;
    private static final int ATTR_INT = 2;
    private static final int ATTR_INTS = 7;

    private final String name;
    private final List<ProtoMessage> nodes = new ArrayList<>();
    private final List<ProtoMessage> initializers = new ArrayList<>();
    private final List<ProtoMessage> inputs = new ArrayList<>();
    private final List<ProtoMessage> outputs = new ArrayList<>();
    private int nodeCount;

    public OnnxGraph(String name) {
        this.name = name;
    }

    /** A graph input or output of the given element type; a dimension is a {@code Long} size or a {@code String} name. */
    public OnnxGraph input(String valueName, int elementType, Object... dims) {
        inputs.add(valueInfo(valueName, elementType, dims));
        return this;
    }

    public OnnxGraph output(String valueName, int elementType, Object... dims) {
        outputs.add(valueInfo(valueName, elementType, dims));
        return this;
    }

    /** A float32 weight; {@code values} is called once, while the model is serialised. */
    public String floats(String tensorName, long[] dims, Supplier<float[]> values) {
        ProtoMessage t = tensorHeader(tensorName, FLOAT, dims);
        t.floatBytes(9, count(dims), values); // raw_data
        initializers.add(t);
        return tensorName;
    }

    /** A small int64 constant (shapes, axes, indices). */
    public String int64s(String tensorName, long[] dims, long... values) {
        if (count(dims) != values.length) {
            throw new IllegalArgumentException(tensorName + ": " + values.length + " values for dims of "
                    + count(dims));
        }
        ProtoMessage t = tensorHeader(tensorName, INT64, dims);
        for (long v : values) {
            t.int64(7, v); // int64_data
        }
        initializers.add(t);
        return tensorName;
    }

    /** A float32 scalar constant. */
    public String scalar(String tensorName, float value) {
        return floats(tensorName, new long[0], () -> new float[] {value});
    }

    /** Adds a node; returns its one output's name (outputs are named by the caller). */
    public Node node(String opType, String... inputNames) {
        return new Node(opType, inputNames);
    }

    /** The serialised ModelProto. */
    public byte[] toModelBytes() {
        ProtoMessage graph = new ProtoMessage();
        nodes.forEach(n -> graph.message(1, n));            // GraphProto.node
        graph.string(2, name);                              // GraphProto.name
        initializers.forEach(t -> graph.message(5, t));     // GraphProto.initializer
        inputs.forEach(v -> graph.message(11, v));          // GraphProto.input
        outputs.forEach(v -> graph.message(12, v));         // GraphProto.output

        ProtoMessage model = new ProtoMessage()
                .int64(1, IR_VERSION)                                                         // ir_version
                .string(2, "streamrag")                                                       // producer_name
                .message(7, graph)                                                            // graph
                .message(8, new ProtoMessage().string(1, "").int64(2, OPSET))                 // opset_import
                .message(8, new ProtoMessage().string(1, MICROSOFT).int64(2, MICROSOFT_OPSET));
        return model.toByteArray();
    }

    /** A node under construction: attributes, then {@link #to(String...)} names its outputs and adds it. */
    public final class Node {
        private final ProtoMessage proto = new ProtoMessage();
        private final List<ProtoMessage> attributes = new ArrayList<>();
        private String domain = "";

        private Node(String opType, String[] inputNames) {
            for (String in : inputNames) {
                proto.string(1, in);                        // NodeProto.input ("" = optional input left out)
            }
            proto.string(3, opType + "_" + nodeCount++);   // NodeProto.name
            proto.string(4, opType);                        // NodeProto.op_type
        }

        /** An operator of ONNX Runtime's contrib domain (Attention, SkipLayerNormalization, BiasGelu). */
        public Node microsoft() {
            domain = MICROSOFT;
            return this;
        }

        public Node attr(String attrName, long value) {
            attributes.add(new ProtoMessage().string(1, attrName).int64(3, value).int64(20, ATTR_INT));
            return this;
        }

        public Node attr(String attrName, float value) {
            attributes.add(new ProtoMessage().string(1, attrName).float32(2, value).int64(20, ATTR_FLOAT));
            return this;
        }

        public Node attrInts(String attrName, long... values) {
            ProtoMessage a = new ProtoMessage().string(1, attrName);
            for (long v : values) {
                a.int64(8, v);
            }
            attributes.add(a.int64(20, ATTR_INTS));
            return this;
        }

        /** Names the outputs, adds the node and returns its first output's name. */
        public String to(String... outputNames) {
            // NodeProto fields: output = 2, attribute = 5, domain = 7 (order on the wire does not matter)
            for (String out : outputNames) {
                proto.string(2, out);
            }
            attributes.forEach(a -> proto.message(5, a));
            if (!domain.isEmpty()) {
                proto.string(7, domain);
            }
            nodes.add(proto);
            return outputNames[0];
        }
    }

    private static ProtoMessage tensorHeader(String tensorName, int dataType, long[] dims) {
        ProtoMessage t = new ProtoMessage();
        for (long d : dims) {
            t.int64(1, d);          // TensorProto.dims
        }
        t.int64(2, dataType);       // TensorProto.data_type
        t.string(8, tensorName);    // TensorProto.name
        return t;
    }

    private static ProtoMessage valueInfo(String valueName, int elementType, Object[] dims) {
        ProtoMessage shape = new ProtoMessage();
        for (Object d : dims) {
            ProtoMessage dim = new ProtoMessage();
            if (d instanceof String) {
                dim.string(2, (String) d);            // Dimension.dim_param
            } else {
                dim.int64(1, ((Number) d).longValue()); // Dimension.dim_value
            }
            shape.message(1, dim);                   // TensorShapeProto.dim
        }
        ProtoMessage tensorType = new ProtoMessage().int64(1, elementType).message(2, shape); // elem_type, shape
        ProtoMessage type = new ProtoMessage().message(1, tensorType);                         // TypeProto.tensor_type
        return new ProtoMessage().string(1, valueName).message(2, type);                       // ValueInfoProto
    }

    private static long count(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }
}
