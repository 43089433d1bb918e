package io.streamrag.cdc;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of this repository that the CDC tests use as they are shipped (the sample schema, the connector config), so
 * a test fails when they break. Maven runs tests with the module as working directory, an IDE often with the
 * repository root: walk up from wherever we are until the file is found.
 */
final class ProjectFiles {

    static final String DOCUMENTS_SQL = "connectors/sql/documents.sql";
    static final String POSTGRES_CONNECTOR = "connectors/postgres-documents.json";

    private ProjectFiles() {
    }

    /** The file at {@code relativePath} from the repository root. */
    static Path locate(String relativePath) {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relativePath);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Cannot find " + relativePath + " in " + start + " or any parent directory");
    }
}
