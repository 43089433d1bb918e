package io.streamrag.inference.embed;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.util.PairList;
import io.streamrag.inference.checkpoint.HalfFloats;
import java.io.IOException;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * A sentence embedder on an exported model loaded through DJL's {@link Criteria}: ONNX files on the OnnxRuntime
 * engine (the bundled default model among them), or TorchScript files on the PyTorch engine. Tokenising, pooling
 * and normalising are ours, as in DJL's {@code TextEmbeddingTranslator}, so truncation is counted the same way for
 * every embedder.
 *
 * <p>Inputs go by name where the model declares names ({@code input_ids}, {@code attention_mask},
 * {@code token_type_ids}; ONNX), else by position in Hugging Face's order (TorchScript traces). The output used is
 * {@code last_hidden_state} when present, else the first one; a [batch, dim] output is taken as already pooled.
 */
public final class OnnxEmbedder extends PipelineEmbedder {
    public static final String ONNX_RUNTIME = "OnnxRuntime";
    public static final String PYTORCH = "PyTorch";
    private static final String DISABLE_ALTERNATIVE = "ai.djl.onnx.disable_alternative";

    private final ZooModel<NDList, NDList> model;
    private final NDManager arrays;

    private OnnxEmbedder(String name, int dimension, ZooModel<NDList, NDList> model, NDManager arrays,
                         EmbeddingPipeline pipeline) {
        super(name, dimension, pipeline);
        this.model = model;
        this.arrays = arrays;
    }

    /**
     * @param modelFile  a {@code .onnx} file (engine {@link #ONNX_RUNTIME}) or a TorchScript {@code .pt} file
     *                   (engine {@link #PYTORCH})
     * @param maxTokens  the longest input; the model's own limit (positions) must not be smaller
     */
    public static OnnxEmbedder open(String name, Path modelFile, String engine, Path tokenizerJson, Pooling pooling,
                                    boolean normalize, int maxTokens, EmbedderOptions options) throws IOException {
        requireSupportedDevice(name, engine, options);
        String fileName = modelFile.getFileName().toString();
        Criteria.Builder<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(modelFile.toAbsolutePath())
                .optModelName(fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName)
                .optEngine(engine)
                .optDevice(options.device().device().toDjl())
                .optTranslator(new NoopTranslator(null));
        if (options.onnxThreads() > 0 && engine.equals(ONNX_RUNTIME)) {
            criteria.optOption("intraOpNumThreads", Integer.toString(options.onnxThreads()))
                    .optOption("interOpNumThreads", "1");
        }
        if (engine.equals(ONNX_RUNTIME)) {
            withoutPyTorchFallback();
        }
        ZooModel<NDList, NDList> model;
        try {
            model = criteria.build().loadModel();
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IOException("cannot load " + engine + " model " + modelFile + ": " + e.getMessage(), e);
        }
        NDManager arrays = null;
        EmbeddingTokenizer tokenizer = null;
        try {
            List<String> inputNames = declaredInputs(model);
            // Inputs live in the model's own engine; pooling and normalising are plain Java over the output.
            arrays = NDManager.newBaseManager(options.device().device().toDjl(), engine);
            tokenizer = EmbeddingTokenizer.open(tokenizerJson, maxTokens, name, options.meterRegistry());
            EmbeddingPipeline pipeline = EmbeddingPipeline.onHost(tokenizer, pooling, normalize,
                    new ExportedModel(model, inputNames, arrays, name), name, options.meterRegistry());
            // exported models do not declare their output width: embed a probe text once
            int dimension = pipeline.embed(List.of("dimension probe")).get(0).length;
            return new OnnxEmbedder(name, dimension, model, arrays, pipeline);
        } catch (IOException | RuntimeException e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            if (arrays != null) {
                arrays.close();
            }
            model.close();
            throw e;
        }
    }

    /**
     * DJL's ONNX Runtime engine starts the default engine (PyTorch: libtorch, ~1 s warm, ~10 s on a first start) as
     * a fallback for array operations it lacks, as soon as a model loads. Our ONNX paths do no array operations on
     * ONNX Runtime arrays (pooling and normalising are plain Java), so the fallback is switched off before the engine
     * is first used; PyTorch then loads only for a generator or a PyTorch embedder. A system property, because that
     * is the only switch DJL reads; an operator's own setting wins.
     */
    static void withoutPyTorchFallback() {
        if (System.getProperty(DISABLE_ALTERNATIVE) == null) {
            System.setProperty(DISABLE_ALTERNATIVE, "true");
        }
    }

    /** Only the CPU build of ONNX Runtime is on the classpath; its CUDA provider would fail at first use. */
    static void requireSupportedDevice(String name, String engine, EmbedderOptions options) {
        if (engine.equals(ONNX_RUNTIME) && options.device().device().isGpu()) {
            throw new IllegalArgumentException("model " + name + " (ONNX) runs on cpu only, not "
                    + options.device().device() + ": use device cpu for it, or a Hugging Face safetensors folder"
                    + " to embed on a GPU");
        }
    }

    /** Input names the model declares, or an empty list when it declares none usable (then inputs go by position). */
    private static List<String> declaredInputs(ZooModel<NDList, NDList> model) {
        try {
            PairList<String, ?> described = model.describeInput();
            List<String> names = described == null ? List.of() : described.keys();
            return names.stream().allMatch(n -> n != null && n.matches("input_ids|attention_mask|token_type_ids"))
                    ? List.copyOf(names) : List.of();
        } catch (UnsupportedOperationException e) {
            return List.of();
        }
    }

    /** The manager every call's scope hangs from; tests count its arrays. */
    NDManager manager() {
        return arrays;
    }

    @Override
    protected void closeModel() {
        arrays.close();
        model.close();
    }

    /**
     * An exported model with the input names it declares (empty: inputs go by position), as the pipeline's model
     * step; inputs live in {@code arrays}, a manager of the model's own engine.
     */
    private record ExportedModel(ZooModel<NDList, NDList> model, List<String> inputNames, NDManager arrays,
                                 String name) implements EmbeddingPipeline.HostEncoder {

        /**
         * Runs the model on the batch in a scope of the model's own engine, and copies the output out to Java: on
         * ONNX Runtime no PyTorch array is ever made, so the default embedder does not start the PyTorch engine.
         */
        @Override
        public EmbeddingPipeline.HiddenStates encode(TokenBatch batch) {
            try (NDManager scope = arrays.newSubManager()) {
                NDArray ids = scope.create(batch.ids());
                NDArray typeIds = scope.create(batch.typeIds());
                NDArray mask = scope.create(batch.attentionMask());
                NDList inputs = new NDList();
                if (inputNames.isEmpty()) {
                    inputs.add(ids);
                    inputs.add(mask);
                    inputs.add(typeIds);
                } else {
                    for (String input : inputNames) {
                        NDArray array = input.equals("input_ids") ? ids
                                : input.equals("attention_mask") ? mask : typeIds;
                        array.setName(input);
                        inputs.add(array);
                    }
                }
                try (Predictor<NDList, NDList> predictor = model.newPredictor()) {
                    NDList outputs = predictor.predict(inputs);
                    try {
                        NDArray hidden = outputs.get("last_hidden_state");
                        if (hidden == null) {
                            hidden = outputs.head();
                        }
                        return new EmbeddingPipeline.HiddenStates(floats(hidden), hidden.getShape().getShape());
                    } finally {
                        // outputs hang from the predictor's manager, not our scope: free them now
                        outputs.close();
                    }
                } catch (TranslateException e) {
                    throw new IllegalStateException("model " + name + " failed on a batch of " + batch.size()
                            + " texts: " + e.getMessage(), e);
                }
            }
        }

        /** The output as float32 in Java; widened here because ONNX Runtime arrays cannot cast without PyTorch. */
        private float[] floats(NDArray hidden) {
            DataType type = hidden.getDataType();
            if (type == DataType.FLOAT32) {
                return hidden.toFloatArray();
            }
            if (type == DataType.FLOAT16) {
                ShortBuffer halves = hidden.toByteBuffer().asShortBuffer();
                float[] values = new float[halves.remaining()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = HalfFloats.toFloat(halves.get(i));
                }
                return values;
            }
            if (type == DataType.FLOAT64) {
                double[] wide = hidden.toDoubleArray();
                float[] values = new float[wide.length];
                for (int i = 0; i < wide.length; i++) {
                    values[i] = (float) wide[i];
                }
                return values;
            }
            throw new IllegalStateException("model " + name + " outputs " + type + " hidden states; expected"
                    + " float32, float16 or float64");
        }
    }
}
