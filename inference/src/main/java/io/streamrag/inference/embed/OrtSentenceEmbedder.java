package io.streamrag.inference.embed;

import ai.djl.engine.Engine;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.streamrag.inference.onnx.BertOnnxGraph;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * A sentence embedder for a Hugging Face BERT-family folder on ONNX Runtime: the encoder's ONNX graph is built in
 * memory from {@code config.json} + safetensors ({@link BertOnnxGraph}, pooling inside the graph) and run with ONNX
 * Runtime's fused CPU kernels. The CPU fp32 default for such folders: ONNX Runtime's MLAS GEMM is about twice
 * libtorch's on one core (see docs/benchmarks.md); {@link SentenceEmbedder} stays the GPU and fp16 path.
 *
 * <p>Thread-safe: an {@link OrtSession} may run concurrently, and each call makes and frees its own tensors.
 * Pooling sits in the graph and normalising is plain Java, so this embedder never starts the PyTorch engine.
 */
public final class OrtSentenceEmbedder extends PipelineEmbedder {
    private final OrtSession session;

    private OrtSentenceEmbedder(String name, int dimension, OrtSession session, EmbeddingPipeline pipeline) {
        super(name, dimension, pipeline);
        this.session = session;
    }

    public static OrtSentenceEmbedder open(Path directory, EmbedderOptions options) throws IOException {
        OnnxEmbedder.requireSupportedDevice(directory.toString(), OnnxEmbedder.ONNX_RUNTIME, options);
        BertFolder folder = BertFolder.read(directory, options);
        byte[] model = BertOnnxGraph.build(directory, folder.pooling() == Pooling.CLS
                ? BertOnnxGraph.Pooling.CLS : BertOnnxGraph.Pooling.MEAN);
        // One OrtEnvironment per process, and DJL's engine insists on creating it (with its global thread pools):
        // start the engine first, then share its environment.
        OnnxEmbedder.withoutPyTorchFallback();
        Engine.getEngine(OnnxEmbedder.ONNX_RUNTIME);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions()) {
            if (options.onnxThreads() > 0) {
                sessionOptions.setIntraOpNumThreads(options.onnxThreads());
                sessionOptions.setInterOpNumThreads(1);
            }
            session = environment.createSession(model, sessionOptions);
        } catch (OrtException e) {
            throw new IOException("ONNX Runtime refused the graph built from " + directory + ": " + e.getMessage(), e);
        }
        EmbeddingTokenizer tokenizer = null;
        try {
            tokenizer = EmbeddingTokenizer.open(folder.tokenizerJson(), folder.maxTokens(), folder.name(),
                    options.meterRegistry());
            EmbeddingPipeline pipeline = EmbeddingPipeline.onHost(tokenizer, folder.pooling(), folder.normalize(),
                    new Graph(environment, session, folder.name()), folder.name(), options.meterRegistry());
            return new OrtSentenceEmbedder(folder.name(), folder.config().hiddenSize(), session, pipeline);
        } catch (IOException | RuntimeException e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            try {
                session.close();
            } catch (OrtException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    protected void closeModel() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the ONNX Runtime session: " + e.getMessage(), e);
        }
    }

    /** The built graph in its ONNX Runtime session, as the pipeline's model step. */
    private record Graph(OrtEnvironment environment, OrtSession session, String name)
            implements EmbeddingPipeline.HostEncoder {

        /** Runs the graph on the int64 [batch, length] token ids; returns the pooled [batch, hidden] vectors. */
        @Override
        public EmbeddingPipeline.HiddenStates encode(TokenBatch batch) {
            long[] shape = {batch.size(), batch.ids()[0].length};
            try (OnnxTensor idTensor = tensor(batch.ids(), shape);
                 OnnxTensor maskTensor = tensor(batch.attentionMask(), shape);
                 OnnxTensor typeTensor = tensor(batch.typeIds(), shape);
                 OrtSession.Result result = session.run(Map.of("input_ids", idTensor, "attention_mask", maskTensor,
                         "token_type_ids", typeTensor), Set.of(BertOnnxGraph.SENTENCE_EMBEDDING))) {
                OnnxTensor pooled = (OnnxTensor) result.get(0);
                FloatBuffer buffer = pooled.getFloatBuffer();
                float[] values = new float[buffer.remaining()];
                buffer.get(values);
                return new EmbeddingPipeline.HiddenStates(values, pooled.getInfo().getShape());
            } catch (OrtException e) {
                throw new IllegalStateException("model " + name + " failed on a batch of " + shape[0] + " texts: "
                        + e.getMessage(), e);
            }
        }

        private OnnxTensor tensor(long[][] rows, long[] shape) throws OrtException {
            LongBuffer flat = LongBuffer.allocate(rows.length * rows[0].length);
            for (long[] row : rows) {
                flat.put(row);
            }
            return OnnxTensor.createTensor(environment, flat.flip(), shape);
        }
    }
}
