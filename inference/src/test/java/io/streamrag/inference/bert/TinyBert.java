package io.streamrag.inference.bert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** A random two-layer BERT in Hugging Face layout, with whatever name prefix a checkpoint head uses. */
public final class TinyBert {
    public static final int VOCAB = 40;
    public static final int HIDDEN = 8;
    static final int HEADS = 2;
    static final int INTERMEDIATE = 16;
    static final int LAYERS = 2;
    public static final int POSITIONS = 16;

    private TinyBert() {
    }

    /**
     * @param prefix    put before every encoder name ("", "bert.", "question_encoder.bert_model.")
     * @param oldNorms  name LayerNorm parameters gamma/beta as pre-2019 checkpoints do
     * @param withExtras add a pooler and a classifier head that the encoder must ignore
     */
    public static Path write(Path folder, String prefix, String modelType, boolean oldNorms, boolean withExtras, long seed)
            throws IOException {
        Random random = new Random(seed);
        SafetensorsWriter w = new SafetensorsWriter();
        w.put(prefix + "embeddings.word_embeddings.weight", values(random, VOCAB * HIDDEN), VOCAB, HIDDEN);
        w.put(prefix + "embeddings.position_embeddings.weight", values(random, POSITIONS * HIDDEN), POSITIONS, HIDDEN);
        w.put(prefix + "embeddings.token_type_embeddings.weight", values(random, 2 * HIDDEN), 2, HIDDEN);
        norm(w, random, prefix + "embeddings.LayerNorm", oldNorms);
        for (int i = 0; i < LAYERS; i++) {
            String p = prefix + "encoder.layer." + i + ".";
            for (String name : new String[] {"attention.self.query", "attention.self.key", "attention.self.value",
                    "attention.output.dense"}) {
                linear(w, random, p + name, HIDDEN, HIDDEN);
            }
            norm(w, random, p + "attention.output.LayerNorm", oldNorms);
            linear(w, random, p + "intermediate.dense", INTERMEDIATE, HIDDEN);
            linear(w, random, p + "output.dense", HIDDEN, INTERMEDIATE);
            norm(w, random, p + "output.LayerNorm", oldNorms);
        }
        if (withExtras) {
            linear(w, random, prefix + "pooler.dense", HIDDEN, HIDDEN);
            linear(w, random, "classifier", 3, HIDDEN);
        }
        Files.createDirectories(folder);
        w.write(folder.resolve("model.safetensors"));
        Files.writeString(folder.resolve("config.json"), "{\"model_type\":\"" + modelType + "\",\"vocab_size\":"
                + VOCAB + ",\"hidden_size\":" + HIDDEN + ",\"num_hidden_layers\":" + LAYERS
                + ",\"num_attention_heads\":" + HEADS + ",\"intermediate_size\":" + INTERMEDIATE
                + ",\"max_position_embeddings\":" + POSITIONS + ",\"type_vocab_size\":2,\"layer_norm_eps\":1e-12,"
                + "\"hidden_act\":\"gelu\"}");
        return folder;
    }

    private static void linear(SafetensorsWriter w, Random random, String name, int out, int in) {
        w.put(name + ".weight", values(random, out * in), out, in);
        w.put(name + ".bias", values(random, out), out);
    }

    private static void norm(SafetensorsWriter w, Random random, String name, boolean old) {
        float[] gamma = values(random, HIDDEN);
        for (int i = 0; i < gamma.length; i++) {
            gamma[i] += 1f;
        }
        w.put(name + (old ? ".gamma" : ".weight"), gamma, HIDDEN);
        w.put(name + (old ? ".beta" : ".bias"), values(random, HIDDEN), HIDDEN);
    }

    private static float[] values(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * 0.5);
        }
        return v;
    }
}
