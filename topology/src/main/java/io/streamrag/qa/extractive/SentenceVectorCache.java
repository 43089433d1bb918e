package io.streamrag.qa.extractive;

import io.streamrag.inference.embed.TextEmbedder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Sentence vectors, least-recently-used evicted: popular passages come back in many questions and embedding their
 * sentences again would dominate the extractive path's cost. Missing sentences of a batch are embedded in one call.
 * Used from one stream thread at a time per processor; synchronized because composers are shared.
 */
final class SentenceVectorCache {

    private final TextEmbedder embedder;
    private final Map<String, float[]> vectors;

    SentenceVectorCache(TextEmbedder embedder, int capacity) {
        this.embedder = embedder;
        this.vectors = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Map<String, float[]> vectorsOf(Collection<String> sentences) {
        LinkedHashSet<String> missing = new LinkedHashSet<>();
        Map<String, float[]> found = new HashMap<>();
        for (String sentence : sentences) {
            float[] vector = vectors.get(sentence);
            if (vector != null) {
                found.put(sentence, vector);
            } else {
                missing.add(sentence);
            }
        }
        if (!missing.isEmpty()) {
            List<String> toEmbed = new ArrayList<>(missing);
            List<float[]> embedded = embedder.embed(toEmbed);
            for (int i = 0; i < toEmbed.size(); i++) {
                found.put(toEmbed.get(i), embedded.get(i));
                vectors.put(toEmbed.get(i), embedded.get(i));
            }
        }
        return found;
    }
}
