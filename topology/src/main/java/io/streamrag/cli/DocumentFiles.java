package io.streamrag.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.Operation;
import io.streamrag.contracts.SourceInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reads documents to load, all before anything is published so a bad line fails the load up front:
 * <ul>
 *   <li>a folder: every {@code .txt} and {@code .md} file below it; id = path relative to the folder ('/'
 *       separated), title = the first Markdown heading or else the file name without extension, version = the
 *       file's modification time in microseconds. A {@code .md} file's body is its text without Markdown syntax
 *       (see {@link MarkdownDocument}), so list markers, emphasis, links and fences never reach passages, embeddings
 *       or answers;</li>
 *   <li>a {@code .jsonl} file: one {@code {"id","title","body","tenant","metadata"}} object per line (optional
 *       {@code "version"}); version defaults to the file's modification time in microseconds plus the line index,
 *       so a later line for the same id wins.</li>
 * </ul>
 */
public final class DocumentFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DocumentFiles() {
    }

    public static List<DocumentChange> read(Path path, String tenant) throws IOException {
        if (Files.isDirectory(path)) {
            return readFolder(path, tenant);
        }
        if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jsonl")) {
            return readJsonLines(path, tenant);
        }
        if (isText(path)) {
            return List.of(fromFile(path.toAbsolutePath().getParent(), path, tenant));
        }
        throw new IllegalArgumentException(path + " is neither a folder, a .jsonl file, nor a .txt/.md file");
    }

    private static List<DocumentChange> readFolder(Path folder, String tenant) throws IOException {
        List<DocumentChange> documents = new ArrayList<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).filter(DocumentFiles::isText).sorted().toList()) {
                documents.add(fromFile(folder, file, tenant));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return documents;
    }

    private static boolean isText(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".txt") || name.endsWith(".md");
    }

    private static DocumentChange fromFile(Path root, Path file, String tenant) throws IOException {
        String body = Files.readString(file, StandardCharsets.UTF_8);
        String id = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        long modifiedMicros = Files.getLastModifiedTime(file).to(TimeUnit.MICROSECONDS);
        String fileName = file.getFileName().toString();
        boolean markdown = fileName.toLowerCase(Locale.ROOT).endsWith(".md");
        Map<String, String> metadata = new HashMap<>();
        metadata.put("path", id);
        metadata.put("format", markdown ? "markdown" : "text");
        if (markdown) {
            MarkdownDocument document = MarkdownDocument.parse(body);
            String title = document.title() != null ? document.title() : titleOf("", fileName);
            return change(id, title, document.body(), tenant, metadata, modifiedMicros, file.toString());
        }
        return change(id, titleOf(body, fileName), body, tenant, metadata, modifiedMicros, file.toString());
    }

    /** The first Markdown heading ({@code # Title}), else the file name without its extension. */
    static String titleOf(String body, String fileName) {
        for (String line : body.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#")) {
                String heading = trimmed.replaceFirst("^#+", "").strip();
                if (!heading.isEmpty()) {
                    return heading;
                }
            }
        }
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    private static List<DocumentChange> readJsonLines(Path file, String defaultTenant) throws IOException {
        long modifiedMicros = Files.getLastModifiedTime(file).to(TimeUnit.MICROSECONDS);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<DocumentChange> documents = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = file + ":" + (i + 1);
            JsonNode json;
            try {
                json = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(where + ": not JSON: " + e.getOriginalMessage(), e);
            }
            String id = text(json, "id");
            String body = text(json, "body");
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException(where + ": \"id\" is missing");
            }
            if (body == null) {
                throw new IllegalArgumentException(where + ": \"body\" is missing for document " + id);
            }
            Map<String, String> metadata = new HashMap<>();
            JsonNode meta = json.get("metadata");
            if (meta != null && meta.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    metadata.put(field.getKey(), field.getValue().isTextual()
                            ? field.getValue().textValue() : field.getValue().toString());
                }
            }
            String tenant = json.hasNonNull("tenant") ? json.get("tenant").asText() : defaultTenant;
            long version = json.hasNonNull("version") ? json.get("version").asLong() : modifiedMicros + i;
            documents.add(change(id, text(json, "title"), body, tenant, metadata, version, where));
        }
        return documents;
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static DocumentChange change(String id, String title, String body, String tenant,
                                         Map<String, String> metadata, long version, String position) {
        return DocumentChange.newBuilder()
                .setOperation(Operation.CREATE)
                .setDocumentId(id)
                .setVersion(version)
                .setTitle(title)
                .setBody(body)
                .setTenant(tenant)
                .setMetadata(metadata)
                .setSource(SourceInfo.newBuilder().setSystem("loader").setName("streamrag-load")
                        .setPosition(position).build())
                .setEventTime(Instant.ofEpochMilli(version / 1000))
                .build();
    }
}
