package io.streamrag.inference.embed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamrag.inference.worker.BatchingSettings;
import io.streamrag.inference.worker.BatchingWorker;
import io.streamrag.inference.worker.Priority;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Lets many threads (Kafka Streams stream threads) share one embedder: every text goes through a
 * {@link BatchingWorker}, which groups texts from all callers into batches of similar length. A call returns when
 * all its texts are embedded, in its own order. With several replicas of one model (one per GPU) each gets its own
 * worker thread, and each text goes to the replica with the shortest queue. Closing it closes the replicas.
 *
 * <p>{@link #embed} is bulk work (indexing); {@link #forQuestions()} is a view of the same workers whose texts go
 * in the interactive lane, ahead of every bulk batch that has not started yet.
 */
public final class BatchingEmbedder implements TextEmbedder {
    private final TextEmbedder first;
    private final List<BatchingWorker<String, float[]>> workers;

    private BatchingEmbedder(TextEmbedder first, List<BatchingWorker<String, float[]>> workers) {
        this.first = first;
        this.workers = workers;
    }

    public static BatchingEmbedder wrap(TextEmbedder embedder, BatchingSettings settings, MeterRegistry registry) {
        return replicate(List.of(embedder), settings, registry);
    }

    /** One worker per replica; the replicas must be the same model (e.g. one per device). */
    public static BatchingEmbedder replicate(List<TextEmbedder> replicas, BatchingSettings settings,
                                             MeterRegistry registry) {
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("at least one embedder is needed");
        }
        TextEmbedder first = replicas.get(0);
        for (TextEmbedder r : replicas) {
            if (!r.modelName().equals(first.modelName()) || r.dimension() != first.dimension()) {
                throw new IllegalArgumentException("replicas differ: " + r.modelName() + "/" + r.dimension()
                        + " vs " + first.modelName() + "/" + first.dimension());
            }
        }
        HuggingFaceTokenizer tokenizer = first.tokenizer();
        int maxTokens = first.maxTokens();
        List<BatchingWorker<String, float[]>> workers = new ArrayList<>();
        for (int i = 0; i < replicas.size(); i++) {
            TextEmbedder replica = replicas.get(i);
            String name = "embed-" + first.modelName() + (replicas.size() > 1 ? "-" + i : "");
            workers.add(BatchingWorker.start(name, settings,
                    text -> Math.min(maxTokens, tokenizer.encode(text).getIds().length),
                    replica::embed, replica, registry));
        }
        return new BatchingEmbedder(first, List.copyOf(workers));
    }

    @Override
    public String modelName() {
        return first.modelName();
    }

    @Override
    public int dimension() {
        return first.dimension();
    }

    @Override
    public int maxTokens() {
        return first.maxTokens();
    }

    @Override
    public HuggingFaceTokenizer tokenizer() {
        return first.tokenizer();
    }

    /**
     * Embeds through the shared workers. Throws the worker's failure: {@code QueueFullException} when the model
     * cannot keep up, {@code WorkerClosedException} after close, else the model's error.
     */
    @Override
    public List<float[]> embed(List<String> texts) {
        return embed(texts, Priority.BULK);
    }

    /** Embeds in the given lane of the shared workers; {@link #embed(List)} is the bulk lane. */
    public List<float[]> embed(List<String> texts, Priority priority) {
        List<CompletableFuture<float[]>> futures = new ArrayList<>(texts.size());
        for (String text : texts) {
            futures.add(leastBusy().submit(text, priority));
        }
        List<float[]> vectors = new ArrayList<>(texts.size());
        try {
            for (CompletableFuture<float[]> f : futures) {
                vectors.add(f.join());
            }
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException("embedding " + texts.size() + " texts with " + modelName() + " failed",
                    cause);
        }
        return vectors;
    }

    /**
     * This embedder for work someone waits for (questions): the same model and workers, its texts embedded ahead of
     * queued bulk work. Closing the view does nothing; the embedder it came from owns the workers.
     */
    public TextEmbedder forQuestions() {
        BatchingEmbedder shared = this;
        return new TextEmbedder() {
            @Override
            public String modelName() {
                return shared.modelName();
            }

            @Override
            public int dimension() {
                return shared.dimension();
            }

            @Override
            public int maxTokens() {
                return shared.maxTokens();
            }

            @Override
            public HuggingFaceTokenizer tokenizer() {
                return shared.tokenizer();
            }

            @Override
            public List<float[]> embed(List<String> texts) {
                return shared.embed(texts, Priority.INTERACTIVE);
            }

            @Override
            public void close() {
            }
        };
    }

    private BatchingWorker<String, float[]> leastBusy() {
        BatchingWorker<String, float[]> best = workers.get(0);
        for (int i = 1; i < workers.size(); i++) {
            if (workers.get(i).queueDepth() < best.queueDepth()) {
                best = workers.get(i);
            }
        }
        return best;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (BatchingWorker<String, float[]> worker : workers) {
            try {
                worker.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
