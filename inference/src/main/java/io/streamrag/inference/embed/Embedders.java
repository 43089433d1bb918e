package io.streamrag.inference.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrag.inference.device.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Opens the embedder a configuration names:
 * <ul>
 *   <li>{@code default}: the bundled all-MiniLM-L6-v2 on ONNX Runtime (CPU);</li>
 *   <li>a folder with {@code model.safetensors} (or a sharded index) and {@code config.json}: on CPU in fp32, the
 *       encoder's ONNX graph built from the checkpoint, on ONNX Runtime ({@link OrtSentenceEmbedder}); on a GPU or
 *       in fp16, our BERT encoder on DJL PyTorch ({@link SentenceEmbedder});</li>
 *   <li>a folder with {@code model.onnx} (also {@code onnx/model.onnx}) or one TorchScript {@code *.pt} file plus
 *       {@code tokenizer.json}: the DJL Criteria path ({@link OnnxEmbedder}).</li>
 * </ul>
 */
public final class Embedders {
    public static final String DEFAULT = "default";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Embedders() {
    }

    public static TextEmbedder open(String spec, EmbedderOptions options) throws IOException {
        if (spec == null || spec.isBlank() || spec.trim().equals(DEFAULT)) {
            return BundledMiniLm.open(options);
        }
        Path folder = Path.of(spec.trim());
        if (!Files.isDirectory(folder)) {
            throw new IOException("embedding model '" + spec + "' is neither 'default' nor a folder");
        }
        if (Files.isRegularFile(folder.resolve("model.safetensors"))
                || Files.isRegularFile(folder.resolve("model.safetensors.index.json"))) {
            return onOnnxRuntime(options) ? OrtSentenceEmbedder.open(folder, options)
                    : SentenceEmbedder.open(folder, options);
        }
        Optional<Path> onnx = Stream.of(folder.resolve("model.onnx"), folder.resolve("onnx").resolve("model.onnx"))
                .filter(Files::isRegularFile).findFirst();
        if (onnx.isPresent()) {
            return openExported(folder, onnx.get(), OnnxEmbedder.ONNX_RUNTIME, options);
        }
        List<Path> torchScript = torchScriptFiles(folder);
        if (torchScript.size() == 1) {
            return openExported(folder, torchScript.get(0), OnnxEmbedder.PYTORCH, options);
        }
        throw new IOException("embedding model folder " + folder + " has no model.safetensors, model.onnx or single"
                + " *.pt file (found " + torchScript.size() + " .pt files)");
    }

    /**
     * ONNX Runtime's CPU kernels are about twice libtorch's on CPU, so they take every fp32 CPU model; libtorch keeps
     * GPUs (only ONNX Runtime's CPU build is on the classpath) and fp16.
     */
    static boolean onOnnxRuntime(EmbedderOptions options) {
        return !options.device().device().isGpu() && options.device().precision() == Precision.FP32;
    }

    private static TextEmbedder openExported(Path folder, Path modelFile, String engine, EmbedderOptions options)
            throws IOException {
        Optional<SentenceTransformersConfig> st = SentenceTransformersConfig.read(folder);
        Pooling pooling = options.poolingOr(st.map(SentenceTransformersConfig::pooling).orElse(Pooling.MEAN));
        boolean normalize = options.normalizeOr(st.map(SentenceTransformersConfig::normalize).orElse(false));
        int maxTokens = options.maxTokens() != null ? options.maxTokens()
                : st.filter(s -> s.maxSeqLength().isPresent()).map(s -> s.maxSeqLength().getAsInt())
                        .orElse(modelMaxLength(folder));
        Path tokenizer = folder.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizer)) {
            throw new IOException("embedding model folder " + folder + " has no tokenizer.json");
        }
        String name = folder.toAbsolutePath().normalize().getFileName().toString();
        return OnnxEmbedder.open(name, modelFile, engine, tokenizer, pooling, normalize, maxTokens, options);
    }

    /**
     * The longest input an exported model takes, when no sentence-transformers file says: the tokenizer's
     * {@code model_max_length} (right for RoBERTa-style models whose positions are offset), else the config's
     * {@code max_position_embeddings}, else BERT's 512.
     */
    static int modelMaxLength(Path folder) throws IOException {
        Path tokenizerConfig = folder.resolve("tokenizer_config.json");
        if (Files.isRegularFile(tokenizerConfig)) {
            JsonNode max = JSON.readTree(tokenizerConfig.toFile()).get("model_max_length");
            // tokenizers without a limit store a huge sentinel (1e30)
            if (max != null && max.isNumber() && max.asDouble() < 1_000_000) {
                return max.asInt();
            }
        }
        Path config = folder.resolve("config.json");
        if (Files.isRegularFile(config)) {
            JsonNode max = JSON.readTree(config.toFile()).get("max_position_embeddings");
            if (max != null && max.canConvertToInt()) {
                return max.asInt();
            }
        }
        return 512;
    }

    private static List<Path> torchScriptFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".pt")).sorted()
                    .collect(Collectors.toList());
        }
    }
}
