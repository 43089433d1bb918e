package io.streamrag.contracts.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/**
 * A set of contract .avsc files as the build reads them: the shared types under {@code common/} first, then the
 * records that name them. Keyed by the full name of each file's schema.
 */
final class ContractSchemas {

    /** The schemas the build generates classes from (packaged under avro/ by the schemas module). */
    static final String CURRENT = "avro";
    /** The released copies kept for comparison. */
    static final String BASELINE = "compat/baseline";

    private final Schema.Parser parser = new Schema.Parser();
    private final Map<String, Schema> byName = new TreeMap<>();
    private List<Schema> sharedTypes = List.of();

    private ContractSchemas() {
    }

    static ContractSchemas load(String classpathRoot) {
        ContractSchemas set = new ContractSchemas();
        Path root = directory(classpathRoot);
        set.parseAll(root.resolve("common"));
        set.sharedTypes = List.copyOf(set.parser.getTypes().values());
        set.parseAll(root);
        return set;
    }

    Map<String, Schema> byName() {
        return byName;
    }

    Schema get(String fullName) {
        Schema schema = byName.get(fullName);
        if (schema == null) {
            throw new IllegalArgumentException("No contract " + fullName + " in " + byName.keySet());
        }
        return schema;
    }

    /** Parses one more file (e.g. an evolved example of a record) that may name this set's shared types. */
    Schema parseWithSharedTypes(String classpathFile) {
        Schema.Parser parser = new Schema.Parser();
        parser.addTypes(sharedTypes);
        try {
            return parser.parse(Path.of(resource(classpathFile).toURI()).toFile());
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("Cannot read " + classpathFile, e);
        }
    }

    private void parseAll(Path directory) {
        if (!Files.isDirectory(directory)) {
            return;
        }
        for (Path file : avscFiles(directory)) {
            try {
                Schema schema = parser.parse(file.toFile());
                byName.put(schema.getFullName(), schema);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
        }
    }

    private static List<Path> avscFiles(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path directory(String classpathRoot) {
        try {
            return Path.of(resource(classpathRoot).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static URL resource(String path) {
        URL url = ContractSchemas.class.getClassLoader().getResource(path);
        if (url == null) {
            throw new IllegalStateException("Not on the test classpath: " + path);
        }
        return url;
    }
}
