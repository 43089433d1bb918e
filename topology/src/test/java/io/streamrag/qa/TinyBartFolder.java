package io.streamrag.qa;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The tiny random BART checkpoint of the inference module's test resources, as a folder: used in place when the
 * test classpath holds it as files, copied out to a temporary folder when it comes inside the inference test jar.
 */
final class TinyBartFolder {

    private static final String ROOT = "bart/tiny/";
    private static final List<String> FILES = List.of("config.json", "generation_config.json", "model.safetensors",
            "tokenizer.json", "tokenizer_config.json");

    private TinyBartFolder() {
    }

    static Path locate(Path scratch) {
        URL config = TinyBartFolder.class.getClassLoader().getResource(ROOT + "config.json");
        if (config == null) {
            throw new IllegalStateException(ROOT + " is not on the test classpath (inference test jar)");
        }
        try {
            if ("file".equals(config.getProtocol())) {
                return Path.of(config.toURI()).getParent();
            }
            Path folder = Files.createDirectories(scratch.resolve("bart-tiny"));
            for (String name : FILES) {
                try (InputStream in = TinyBartFolder.class.getClassLoader().getResourceAsStream(ROOT + name)) {
                    if (in != null) {
                        Files.copy(in, folder.resolve(name));
                    }
                }
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
