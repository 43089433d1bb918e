package io.streamrag.ingest.cdc;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How a document's body is made of a row: one column ({@code content}) or a template naming several
 * ({@code {headline}\n\n{content}}). Placeholders are column names in braces; a column that is null in the row
 * contributes nothing. In a template, the two characters {@code \n} also mean a line break, so a template can be
 * written on one line in an environment variable or a {@code --set} argument.
 */
public final class BodyTemplate {

    private final String text;
    private final List<Part> parts;
    private final List<String> columns;

    private BodyTemplate(String text, List<Part> parts) {
        this.text = text;
        this.parts = List.copyOf(parts);
        LinkedHashSet<String> names = new LinkedHashSet<>();
        parts.stream().filter(Part::isColumn).forEach(part -> names.add(part.value()));
        this.columns = List.copyOf(names);
    }

    /** The body is exactly this column's text. */
    public static BodyTemplate column(String column) {
        if (column == null || column.isBlank()) {
            throw new IllegalArgumentException("a body column name must not be blank");
        }
        return new BodyTemplate("{" + column + "}", List.of(new Part(column, true)));
    }

    /**
     * Parses a template such as {@code {headline}\n\n{content}}.
     *
     * @throws IllegalArgumentException for an unclosed or empty placeholder, or a template without one
     */
    public static BodyTemplate parse(String template) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException("a body template must not be blank");
        }
        String text = template.replace("\\n", "\n");
        List<Part> parts = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf('{', at);
            if (open < 0) {
                parts.add(new Part(text.substring(at), false));
                break;
            }
            if (open > at) {
                parts.add(new Part(text.substring(at, open), false));
            }
            int close = text.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '{' at position " + open + " of body template '"
                        + template + "'");
            }
            String column = text.substring(open + 1, close).strip();
            if (column.isEmpty() || column.contains("{")) {
                throw new IllegalArgumentException("empty or nested placeholder at position " + open
                        + " of body template '" + template + "'");
            }
            parts.add(new Part(column, true));
            at = close + 1;
        }
        if (parts.stream().noneMatch(Part::isColumn)) {
            throw new IllegalArgumentException("body template '" + template + "' names no column ({column})");
        }
        return new BodyTemplate(text, parts);
    }

    /** The columns the body is made of, in order of first use. */
    public List<String> columns() {
        return columns;
    }

    /**
     * The body of {@code row}; null when every column of it is null (a row without text), so such a row is
     * rejected like one with an empty body column.
     */
    String render(Map<String, Object> row, Function<Object, String> text) {
        if (parts.size() == 1) {
            return text.apply(row.get(parts.get(0).value()));
        }
        StringBuilder body = new StringBuilder();
        boolean anyValue = false;
        for (Part part : parts) {
            if (!part.isColumn()) {
                body.append(part.value());
                continue;
            }
            String value = text.apply(row.get(part.value()));
            if (value != null) {
                anyValue = true;
                body.append(value);
            }
        }
        return anyValue ? body.toString().strip() : null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BodyTemplate that && that.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text.replace("\n", "\\n");
    }

    private record Part(String value, boolean isColumn) {
    }
}
