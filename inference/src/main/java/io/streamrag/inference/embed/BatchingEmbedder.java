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
 * all its texts are embedded, in its own order. Closing it closes the embedder.
 *
 * <p>One model, one worker: a process holds one copy of each model on one device, and scales out by running more
 * instances (one per GPU), not by replicas inside a process.
 *
 * <p>{@link #embed} is bulk work (indexing); {@link #forQuestions()} is a view of the same worker whose texts go
 * in the interactive lane, ahead of every bulk batch that has not started yet.
 */
public final class BatchingEmbedder extends ForwardingTextEmbedder {
    private final BatchingWorker<String, float[]> worker;

    private BatchingEmbedder(TextEmbedder embedder, BatchingWorker<String, float[]> worker) {
        super(embedder);
        this.worker = worker;
    }

    public static BatchingEmbedder wrap(TextEmbedder embedder, BatchingSettings settings, MeterRegistry registry) {
        HuggingFaceTokenizer tokenizer = embedder.tokenizer();
        int maxTokens = embedder.maxTokens();
        BatchingWorker<String, float[]> worker = BatchingWorker.start("embed-" + embedder.modelName(), settings,
                text -> Math.min(maxTokens, tokenizer.encode(text).getIds().length),
                embedder::embed, embedder, registry);
        return new BatchingEmbedder(embedder, worker);
    }

    /**
     * Embeds through the shared worker. Throws the worker's failure: {@code QueueFullException} when the model
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
            futures.add(worker.submit(text, priority));
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
        return new ForwardingTextEmbedder(shared) {
            @Override
            public List<float[]> embed(List<String> texts) {
                return shared.embed(texts, Priority.INTERACTIVE);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void close() {
        worker.close();
    }
}
