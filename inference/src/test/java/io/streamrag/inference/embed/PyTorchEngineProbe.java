package io.streamrag.inference.embed;

import ai.djl.engine.Engine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in its own JVM by {@link DefaultEmbedderEngineTest}: opens the default embedder, embeds, and prints whether
 * libtorch is mapped into this process. With {@code control}, it then starts the PyTorch engine and prints again,
 * so the test knows the probe can see libtorch at all.
 */
public final class PyTorchEngineProbe {
    static final String MARK = "libtorch-mapped=";

    private PyTorchEngineProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (TextEmbedder embedder = Embedders.open("default", EmbedderOptions.defaults()
                .withCacheDirectory(Path.of(args[0])).withMeterRegistry(new SimpleMeterRegistry()))) {
            List<float[]> vectors = embedder.embed(List.of("a first text", "and a second, longer one"));
            System.out.println("vectors=" + vectors.size() + "x" + vectors.get(0).length);
            System.out.println(MARK + libtorchMapped());
        }
        if (args.length > 1 && args[1].equals("control")) {
            Engine.getEngine(OnnxEmbedder.PYTORCH);
            System.out.println(MARK + libtorchMapped());
        }
    }

    /** Linux only: the native libraries this process has mapped; libtorch_cpu is the bulk of the PyTorch engine. */
    static boolean libtorchMapped() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(line -> line.contains("libtorch"));
    }
}
