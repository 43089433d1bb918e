package io.streamrag.inference.rerank;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.streamrag.inference.checkpoint.Checkpoint;
import io.streamrag.inference.device.Precision;

/**
 * The head of Hugging Face's {@code BertForSequenceClassification} on top of the encoder: the pooler
 * ({@code tanh(dense([CLS]))}) then the classifier ({@code linear}), giving one logit per label. Dropout is off at
 * inference, as in HF's eval mode.
 */
final class ClassifierHead {

    private final NDArray poolerWeight;
    private final NDArray poolerBias;
    private final NDArray classifierWeight;
    private final NDArray classifierBias;

    private ClassifierHead(NDArray poolerWeight, NDArray poolerBias, NDArray classifierWeight,
                           NDArray classifierBias) {
        this.poolerWeight = poolerWeight;
        this.poolerBias = poolerBias;
        this.classifierWeight = classifierWeight;
        this.classifierBias = classifierBias;
    }

    /** Reads {@code <prefix>pooler.dense.*} and {@code classifier.*} into {@code manager} (the model's). */
    static ClassifierHead load(Checkpoint checkpoint, String encoderPrefix, NDManager manager, Precision precision) {
        return new ClassifierHead(
                tensor(checkpoint, encoderPrefix + "pooler.dense.weight", manager, precision),
                tensor(checkpoint, encoderPrefix + "pooler.dense.bias", manager, precision),
                tensor(checkpoint, "classifier.weight", manager, precision),
                tensor(checkpoint, "classifier.bias", manager, precision));
    }

    int labels() {
        return (int) classifierWeight.getShape().get(0);
    }

    /** hidden [batch, length, hidden] to logits [batch, labels]. */
    NDArray logits(NDArray hidden) {
        NDArray cls = hidden.get(new NDIndex(":, 0, :"));
        NDArray pooled = linear(cls, poolerWeight, poolerBias).tanh();
        return linear(pooled, classifierWeight, classifierBias);
    }

    private static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    private static NDArray tensor(Checkpoint checkpoint, String name, NDManager manager, Precision precision) {
        if (!checkpoint.contains(name)) {
            throw new IllegalArgumentException("checkpoint " + checkpoint.directory() + " has no tensor " + name
                    + ": not a BertForSequenceClassification cross-encoder");
        }
        return precision.narrow(checkpoint.load(name, manager));
    }
}
