package io.streamrag.ingest.batch;

import io.streamrag.ingest.chunk.Chunk;
import io.streamrag.store.StoredEmbedding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which chunks of a batch go to the embedder and which keep a vector the store already holds. Chunks are matched by
 * fingerprint, not by chunk id: an inserted paragraph moves every later chunk to a new index (and id) without
 * changing its text. With reuse, a text that occurs twice in the batch is embedded once; without, every chunk is
 * embedded, as it was before reuse existed.
 */
final class EmbeddingPlan {

    private final List<List<String>> fingerprints = new ArrayList<>();
    /** Per change, per chunk: the stored vector to reuse, or null when the chunk is embedded. */
    private final List<List<float[]>> reused = new ArrayList<>();
    /** Per change, per chunk: the chunk's position in {@link #texts()}, or -1 when it is reused. */
    private final List<int[]> slots = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();
    private int reusedChunks;

    private EmbeddingPlan() {
    }

    /**
     * @param chunksPerChange every change's chunks, in batch order (none for a delete)
     * @param stored          vectors the store holds for the batch's documents; empty to embed everything
     * @param reuse           false embeds every chunk, ignoring {@code stored}
     */
    static EmbeddingPlan of(List<List<Chunk>> chunksPerChange, EmbeddingFingerprints fingerprinter,
                            List<StoredEmbedding> stored, boolean reuse) {
        Map<String, float[]> storedVectors = new HashMap<>();
        if (reuse) {
            stored.forEach(embedding -> storedVectors.putIfAbsent(embedding.fingerprint(), embedding.vector()));
        }
        Map<String, Integer> embeddedAt = new HashMap<>();
        EmbeddingPlan plan = new EmbeddingPlan();
        for (List<Chunk> chunks : chunksPerChange) {
            List<String> prints = new ArrayList<>(chunks.size());
            List<float[]> vectors = new ArrayList<>(chunks.size());
            int[] slots = new int[chunks.size()];
            for (int i = 0; i < chunks.size(); i++) {
                String text = chunks.get(i).embeddingText();
                String fingerprint = fingerprinter.of(text);
                prints.add(fingerprint);
                float[] vector = storedVectors.get(fingerprint);
                Integer slot = reuse ? embeddedAt.get(fingerprint) : null;
                if (vector != null) {
                    slots[i] = -1;
                    plan.reusedChunks++;
                } else if (slot != null) {
                    slots[i] = slot;
                    plan.reusedChunks++;
                } else {
                    slots[i] = plan.texts.size();
                    embeddedAt.put(fingerprint, slots[i]);
                    plan.texts.add(text);
                }
                vectors.add(vector);
            }
            plan.fingerprints.add(prints);
            plan.reused.add(vectors);
            plan.slots.add(slots);
        }
        return plan;
    }

    /** The texts to embed, each once. */
    List<String> texts() {
        return texts;
    }

    /** Chunks that get a vector without being embedded (stored, or embedded once for an equal chunk). */
    int reusedChunks() {
        return reusedChunks;
    }

    String fingerprint(int change, int chunk) {
        return fingerprints.get(change).get(chunk);
    }

    /** The chunk's vector: the stored one, or its text's in {@code embedded} (the embedder's answer to {@link #texts()}). */
    float[] vector(int change, int chunk, List<float[]> embedded) {
        int slot = slots.get(change)[chunk];
        return slot < 0 ? reused.get(change).get(chunk) : embedded.get(slot);
    }
}
