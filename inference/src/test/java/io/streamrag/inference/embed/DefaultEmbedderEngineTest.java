package io.streamrag.inference.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The default (bundled ONNX) embedder never starts the PyTorch engine: start-up and resident memory stay free of
 * libtorch unless a generator or a PyTorch embedder is configured. Checked in a fresh JVM, since the test JVM has
 * PyTorch loaded by other tests.
 */
class DefaultEmbedderEngineTest {

    @Test
    void openingAndUsingTheDefaultEmbedderLeavesLibtorchUnloaded() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "needs Linux /proc to see mapped libraries");

        List<String> lines = probe("control");

        assertThat(lines).contains("vectors=2x384");
        List<String> marks = lines.stream().filter(l -> l.startsWith(PyTorchEngineProbe.MARK)).toList();
        assertThat(marks).as("after embedding, then after starting PyTorch on purpose (the probe's control)")
                .containsExactly(PyTorchEngineProbe.MARK + false, PyTorchEngineProbe.MARK + true);
    }

    private static List<String> probe(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"),
                PyTorchEngineProbe.class.getName(),
                ModelCache.directory().toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("engine-probe", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("probe finished").isTrue();
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("probe exit; output:%n%s", String.join("\n", lines)).isZero();
            return lines;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
