package io.streamrag.qa;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.streamrag.inference.embed.ForwardingTextEmbedder;
import io.streamrag.inference.embed.TextEmbedder;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedder of a QA instance that is to die: once armed, its next call throws an {@link Error} (as an
 * out-of-memory would), which kills the stream thread in the middle of a batch, its transaction uncommitted.
 */
public final class CrashingEmbedder extends ForwardingTextEmbedder {

    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicInteger crashes = new AtomicInteger();

    public CrashingEmbedder(TextEmbedder delegate) {
        super(delegate);
    }

    public void crashOnNextCall() {
        armed.set(true);
    }

    public int crashes() {
        return crashes.get();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        if (armed.compareAndSet(true, false)) {
            crashes.incrementAndGet();
            throw new Error("simulated crash of the QA instance mid-batch (" + texts.size() + " texts)");
        }
        return super.embed(texts);
    }

    @Override
    public void close() {
        // the delegate is not this wrapper's to close: it may be shared
    }
}
