package io.streamrag.app.config;

import static io.streamrag.app.config.ConfigCatalog.*;

import io.streamrag.ingest.cdc.BodyTemplate;
import io.streamrag.ingest.cdc.CdcEnvelope;
import io.streamrag.ingest.cdc.CdcFieldMapping;
import io.streamrag.ingest.cdc.CdcFormat;
import io.streamrag.ingest.cdc.CdcSource;
import io.streamrag.ingest.cdc.TruncatePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the named CDC sources ({@code cdc.sources.<name>.*}) into {@link CdcSource}s. Every problem names the source
 * and the key, e.g. {@code cdc.sources.articles.id.columns='' must name at least one column (from default)}; all are
 * collected, so one round of fixes is enough. Column names themselves can only be checked against the table's
 * events: the ingest dead-letters an event whose row lacks a mapped column.
 */
final class CdcSourcesReader {

    private CdcSourcesReader() {
    }

    static List<CdcSource> read(ConfigReader r) {
        r.touchNamed();
        List<CdcSource> sources = new ArrayList<>();
        for (String name : r.namedItems(CDC_SOURCES_PREFIX)) {
            CdcSource source = source(r, name);
            if (source != null) {
                sources.add(source);
            }
        }
        return sources;
    }

    private static CdcSource source(ConfigReader r, String name) {
        int problems = r.problemCount();
        List<String> topics = r.namedList(CDC_TOPICS, name);
        String patternText = r.named(CDC_TOPIC_PATTERN, name);
        Pattern pattern = null;
        if (topics.isEmpty() == patternText.isBlank()) {
            r.problem(key(CDC_TOPICS, name), topics.isEmpty()
                    ? "is empty: CDC source '" + name + "' needs topics or " + key(CDC_TOPIC_PATTERN, name)
                    : "and " + key(CDC_TOPIC_PATTERN, name) + " are both set; CDC source '" + name
                    + "' takes one of them");
        } else if (!patternText.isBlank()) {
            try {
                pattern = Pattern.compile(patternText);
            } catch (PatternSyntaxException e) {
                r.problem(key(CDC_TOPIC_PATTERN, name), "is not a regular expression: " + e.getDescription());
            }
        }
        CdcFormat format = choice(r, CDC_FORMAT, name, "json, avro", CdcFormat.JSON);
        CdcEnvelope envelope = choice(r, CDC_ENVELOPE, name, "auto, full, flattened", CdcEnvelope.AUTO);
        TruncatePolicy truncate = choice(r, CDC_TRUNCATE, name, "delete, dead-letter", TruncatePolicy.DELETE);

        List<String> idColumns = r.namedList(CDC_ID_COLUMNS, name);
        if (idColumns.isEmpty()) {
            r.problem(key(CDC_ID_COLUMNS, name), "must name the primary-key column(s) of CDC source '" + name + "'");
        } else if (idColumns.stream().distinct().count() != idColumns.size()) {
            r.problem(key(CDC_ID_COLUMNS, name), "names a column twice");
        }
        String separator = r.named(CDC_ID_SEPARATOR, name);
        if (idColumns.size() > 1 && separator.isEmpty()) {
            r.problem(key(CDC_ID_SEPARATOR, name), "must not be empty for a composite key");
        }
        BodyTemplate body = body(r, name);
        String softDeleteColumn = optional(r.named(CDC_SOFT_DELETE_COLUMN, name));
        String softDeleteValue = optional(r.named(CDC_SOFT_DELETE_VALUE, name));
        if (softDeleteValue != null && softDeleteColumn == null) {
            r.problem(key(CDC_SOFT_DELETE_VALUE, name), "needs " + key(CDC_SOFT_DELETE_COLUMN, name));
        }
        String title = optional(r.named(CDC_TITLE_COLUMN, name));
        String tenant = optional(r.named(CDC_TENANT_COLUMN, name));
        String metadata = optional(r.named(CDC_METADATA_COLUMN, name));
        List<String> metadataColumns = r.namedList(CDC_METADATA_COLUMNS, name);
        String version = optional(r.named(CDC_VERSION_COLUMN, name));
        String prefix = r.named(CDC_ID_PREFIX, name);
        if (r.problemCount() > problems) {
            return null;
        }
        try {
            CdcFieldMapping mapping = new CdcFieldMapping(idColumns, title, body, tenant, metadata, metadataColumns,
                    version, softDeleteColumn, softDeleteValue, prefix, separator);
            return new CdcSource(name, topics, pattern, format, envelope, mapping, truncate);
        } catch (IllegalArgumentException e) {
            r.problem(key(CDC_ID_COLUMNS, name), "CDC source '" + name + "' is not valid: " + e.getMessage());
            return null;
        }
    }

    private static BodyTemplate body(ConfigReader r, String name) {
        String column = optional(r.named(CDC_BODY_COLUMN, name));
        String template = optional(r.named(CDC_BODY_TEMPLATE, name));
        if ((column == null) == (template == null)) {
            r.problem(key(CDC_BODY_COLUMN, name), column == null
                    ? "is empty: CDC source '" + name + "' needs a body column or " + key(CDC_BODY_TEMPLATE, name)
                    : "and " + key(CDC_BODY_TEMPLATE, name) + " are both set; CDC source '" + name
                    + "' takes one of them");
            return null;
        }
        if (column != null) {
            return BodyTemplate.column(column);
        }
        try {
            return BodyTemplate.parse(template);
        } catch (IllegalArgumentException e) {
            r.problem(key(CDC_BODY_TEMPLATE, name), e.getMessage());
            return null;
        }
    }

    private static <E extends Enum<E>> E choice(ConfigReader r, String namedKey, String name, String allowed,
                                                E fallback) {
        String value = r.named(namedKey, name).strip().toLowerCase(Locale.ROOT).replace('-', '_');
        for (E constant : fallback.getDeclaringClass().getEnumConstants()) {
            if (constant.name().toLowerCase(Locale.ROOT).equals(value)) {
                return constant;
            }
        }
        r.problem(key(namedKey, name), "must be one of " + allowed);
        return fallback;
    }

    private static String key(String namedKey, String name) {
        return namedKey.replace("<name>", name);
    }

    private static String optional(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
