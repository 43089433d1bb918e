package io.streamrag.inference.bert;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds all-MiniLM-L6-v2 in Hugging Face layout from the ONNX export in the default-model jar: named initializers
 * keep their names; the anonymous MatMul weights are named after their node's output
 * ({@code /encoder/layer.0/attention/self/query/MatMul_output_0} becomes
 * {@code encoder.layer.0.attention.self.query.weight}) and transposed to Hugging Face's [out, in].
 *
 * <p>The ONNX protobuf is read by hand (a few fields of ModelProto, GraphProto, NodeProto, TensorProto): neither
 * ONNX Runtime's Java API nor any dependency we have exposes a graph's initializers.
 */
final class OnnxBertConverter {
    private static final int FLOAT = 1;

    private OnnxBertConverter() {
    }

    static void convertBundledMiniLm(Path target) throws IOException {
        byte[] model;
        try (InputStream in = OnnxBertConverter.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            if (in == null) {
                throw new IOException("all-minilm-l6-v2.onnx is not on the test classpath");
            }
            model = in.readAllBytes();
        }
        Files.createDirectories(target);
        writeHuggingFaceWeights(model, target.resolve("model.safetensors"));
        try (InputStream in = OnnxBertConverter.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            Files.copy(in, target.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(target.resolve("config.json"), "{\"architectures\":[\"BertModel\"],\"model_type\":\"bert\","
                + "\"hidden_size\":384,\"num_hidden_layers\":6,\"num_attention_heads\":12,"
                + "\"intermediate_size\":1536,\"hidden_act\":\"gelu\",\"vocab_size\":30522,"
                + "\"max_position_embeddings\":512,\"type_vocab_size\":2,\"layer_norm_eps\":1e-12,"
                + "\"pad_token_id\":0,\"position_embedding_type\":\"absolute\"}");
        Files.writeString(target.resolve("pooling_config.json"), "{\"word_embedding_dimension\":384,"
                + "\"pooling_mode_cls_token\":false,\"pooling_mode_mean_tokens\":true}");
    }

    static void writeHuggingFaceWeights(byte[] onnxModel, Path safetensors) throws IOException {
        Graph graph = Graph.parse(onnxModel);
        SafetensorsWriter out = new SafetensorsWriter();
        Map<String, String> matMulOutputByWeight = new HashMap<>();
        for (Node node : graph.nodes) {
            if (node.opType.equals("MatMul") && node.inputs.size() == 2) {
                matMulOutputByWeight.put(node.inputs.get(1), node.outputs.get(0));
            }
        }
        for (Tensor t : graph.initializers.values()) {
            if (t.dataType != FLOAT) {
                continue;
            }
            String matMulOutput = matMulOutputByWeight.get(t.name);
            if (matMulOutput != null && t.dims.length == 2) {
                String hfName = matMulOutput.replaceFirst("^/", "").replace("/MatMul_output_0", ".weight")
                        .replace('/', '.');
                out.put(hfName, transpose(t.floats(), (int) t.dims[0], (int) t.dims[1]), t.dims[1], t.dims[0]);
            } else if (t.name.startsWith("embeddings.") || t.name.startsWith("encoder.")) {
                out.put(t.name, t.floats(), t.dims);
            }
        }
        out.write(safetensors);
    }

    private static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[r * cols + c];
            }
        }
        return t;
    }

    private static final class Tensor {
        String name = "";
        int dataType;
        long[] dims = new long[0];
        byte[] raw;
        float[] floatData;

        float[] floats() {
            if (raw != null) {
                float[] f = new float[raw.length / 4];
                ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
                return f;
            }
            return floatData == null ? new float[0] : floatData;
        }
    }

    private static final class Node {
        final List<String> inputs = new ArrayList<>();
        final List<String> outputs = new ArrayList<>();
        String opType = "";
    }

    private static final class Graph {
        final List<Node> nodes = new ArrayList<>();
        final Map<String, Tensor> initializers = new LinkedHashMap<>();

        static Graph parse(byte[] model) {
            Graph graph = new Graph();
            Proto m = new Proto(ByteBuffer.wrap(model));
            while (m.hasMore()) {
                int field = m.tag();
                if (field == 7) { // ModelProto.graph
                    Proto g = m.message();
                    while (g.hasMore()) {
                        int gf = g.tag();
                        if (gf == 1) { // GraphProto.node
                            graph.nodes.add(node(g.message()));
                        } else if (gf == 5) { // GraphProto.initializer
                            Tensor t = tensor(g.message());
                            graph.initializers.put(t.name, t);
                        } else {
                            g.skip();
                        }
                    }
                } else {
                    m.skip();
                }
            }
            return graph;
        }

        private static Node node(Proto p) {
            Node n = new Node();
            while (p.hasMore()) {
                switch (p.tag()) {
                    case 1: n.inputs.add(p.string()); break;
                    case 2: n.outputs.add(p.string()); break;
                    case 4: n.opType = p.string(); break;
                    default: p.skip();
                }
            }
            return n;
        }

        private static Tensor tensor(Proto p) {
            Tensor t = new Tensor();
            List<Long> dims = new ArrayList<>();
            while (p.hasMore()) {
                switch (p.tag()) {
                    case 1:
                        if (p.wireType() == 2) {
                            Proto packed = p.message();
                            while (packed.hasMore()) {
                                dims.add(packed.varint());
                            }
                        } else {
                            dims.add(p.varint());
                        }
                        break;
                    case 2: t.dataType = (int) p.varint(); break;
                    case 4: {
                        ByteBuffer b = p.bytesView().order(ByteOrder.LITTLE_ENDIAN);
                        t.floatData = new float[b.remaining() / 4];
                        b.asFloatBuffer().get(t.floatData);
                        break;
                    }
                    case 8: t.name = p.string(); break;
                    case 9: {
                        ByteBuffer b = p.bytesView();
                        t.raw = new byte[b.remaining()];
                        b.get(t.raw);
                        break;
                    }
                    default: p.skip();
                }
            }
            t.dims = dims.stream().mapToLong(Long::longValue).toArray();
            return t;
        }
    }

    /** A cursor over protobuf wire format: tags, varints and length-delimited fields. */
    private static final class Proto {
        private final ByteBuffer buf;
        private int wireType;

        Proto(ByteBuffer buf) {
            this.buf = buf;
        }

        boolean hasMore() {
            return buf.hasRemaining();
        }

        int tag() {
            long key = varint();
            wireType = (int) (key & 7);
            return (int) (key >>> 3);
        }

        int wireType() {
            return wireType;
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = buf.get();
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new IllegalStateException("malformed varint");
        }

        ByteBuffer bytesView() {
            int length = (int) varint();
            ByteBuffer slice = buf.slice();
            slice.limit(length);
            buf.position(buf.position() + length);
            return slice;
        }

        Proto message() {
            return new Proto(bytesView());
        }

        String string() {
            ByteBuffer b = bytesView();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        void skip() {
            switch (wireType) {
                case 0: varint(); break;
                case 1: buf.position(buf.position() + 8); break;
                case 2: bytesView(); break;
                case 5: buf.position(buf.position() + 4); break;
                default: throw new IllegalStateException("unsupported wire type " + wireType);
            }
        }
    }
}
