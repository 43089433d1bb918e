package io.streamrag.inference.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a Hugging Face-style BART folder ({@code config.json} + F32 {@code model.safetensors}, tied embedding
 * stored once as {@code model.shared.weight}) with random weights, for benchmarks that need real shapes but no
 * download. Weights are uniform with std 0.02 (HF's init scale), norms are identity, biases zero.
 */
final class RandomBartCheckpoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RandomBartCheckpoint() {
    }

    static void writeBartBase(Path dir, long seed) throws IOException {
        write(dir, seed, 50265, 768, 6, 6, 12, 3072, 1024);
    }

    static void write(Path dir, long seed, int vocab, int d, int encoderLayers, int decoderLayers, int heads,
            int ffn, int maxPositions) throws IOException {
        ObjectNode config = JSON.createObjectNode();
        config.put("model_type", "bart").put("vocab_size", vocab).put("d_model", d)
                .put("encoder_layers", encoderLayers).put("decoder_layers", decoderLayers)
                .put("encoder_attention_heads", heads).put("decoder_attention_heads", heads)
                .put("encoder_ffn_dim", ffn).put("decoder_ffn_dim", ffn).put("activation_function", "gelu")
                .put("max_position_embeddings", maxPositions).put("scale_embedding", false)
                .put("pad_token_id", 1).put("bos_token_id", 0).put("eos_token_id", 2)
                .put("decoder_start_token_id", 2).put("forced_eos_token_id", 2);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);

        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("model.shared.weight", new long[] {vocab, d});
        shapes.put("final_logits_bias", new long[] {1, vocab});
        for (String side : new String[] {"encoder", "decoder"}) {
            String p = "model." + side + ".";
            shapes.put(p + "embed_positions.weight", new long[] {maxPositions + 2, d});
            norm(shapes, p + "layernorm_embedding", d);
            int layers = side.equals("encoder") ? encoderLayers : decoderLayers;
            for (int i = 0; i < layers; i++) {
                String l = p + "layers." + i + ".";
                attention(shapes, l + "self_attn.", d);
                norm(shapes, l + "self_attn_layer_norm", d);
                if (side.equals("decoder")) {
                    attention(shapes, l + "encoder_attn.", d);
                    norm(shapes, l + "encoder_attn_layer_norm", d);
                }
                linear(shapes, l + "fc1", ffn, d);
                linear(shapes, l + "fc2", d, ffn);
                norm(shapes, l + "final_layer_norm", d);
            }
        }
        writeSafetensors(dir.resolve("model.safetensors"), shapes, seed);
    }

    private static void attention(Map<String, long[]> shapes, String p, int d) {
        for (String proj : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
            linear(shapes, p + proj, d, d);
        }
    }

    private static void linear(Map<String, long[]> shapes, String p, int out, int in) {
        shapes.put(p + ".weight", new long[] {out, in});
        shapes.put(p + ".bias", new long[] {out});
    }

    private static void norm(Map<String, long[]> shapes, String p, int d) {
        shapes.put(p + ".weight", new long[] {d});
        shapes.put(p + ".bias", new long[] {d});
    }

    private static void writeSafetensors(Path file, Map<String, long[]> shapes, long seed) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long bytes = 4 * count(e.getValue());
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (long s : e.getValue()) {
                shape.add(s);
            }
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        SplittableRandom random = new SplittableRandom(seed);
        double halfWidth = 0.02 * Math.sqrt(3); // uniform(-a, a) has std a / sqrt(3)
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(head.flip());
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                String name = e.getKey();
                boolean gain = name.endsWith("norm.weight") || name.endsWith("layernorm_embedding.weight");
                boolean zero = name.endsWith(".bias") || name.equals("final_logits_bias");
                ByteBuffer data = ByteBuffer.allocate((int) (4 * count(e.getValue()))).order(ByteOrder.LITTLE_ENDIAN);
                while (data.hasRemaining()) {
                    data.putFloat(gain ? 1f : zero ? 0f : (float) random.nextDouble(-halfWidth, halfWidth));
                }
                data.flip();
                while (data.hasRemaining()) {
                    out.write(data);
                }
            }
        }
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }
}
