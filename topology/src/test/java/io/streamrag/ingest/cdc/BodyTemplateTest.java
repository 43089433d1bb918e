package io.streamrag.ingest.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BodyTemplateTest {

    @Test
    void aTemplateJoinsItsColumnsAndAWrittenBackslashNIsALineBreak() {
        BodyTemplate template = BodyTemplate.parse("{headline}\\n\\n{content}");

        assertThat(template.columns()).containsExactly("headline", "content");
        assertThat(template.render(Map.of("headline", "Tides", "content", "The moon."), ColumnValues::text))
                .isEqualTo("Tides\n\nThe moon.");
        assertThat(template).isEqualTo(BodyTemplate.parse("{headline}\n\n{content}"));
    }

    @Test
    void aNullColumnAddsNothingAndARowWithoutAnyTextHasNoBody() {
        BodyTemplate template = BodyTemplate.parse("Q: {question}\nA: {answer}");
        Map<String, Object> row = new HashMap<>();
        row.put("question", null);
        row.put("answer", 42);

        assertThat(template.render(row, ColumnValues::text)).isEqualTo("Q: \nA: 42");
        row.put("answer", null);
        assertThat(template.render(row, ColumnValues::text)).isNull();
    }

    @Test
    void aSingleColumnIsTheColumnsTextAsItIs() {
        assertThat(BodyTemplate.column("body").render(Map.of("body", "  spaced  "), ColumnValues::text))
                .isEqualTo("  spaced  ");
    }

    @Test
    void malformedTemplatesAreRefusedWithThePosition() {
        assertThatThrownBy(() -> BodyTemplate.parse("{headline}\n{content")).hasMessageContaining("unclosed '{'")
                .hasMessageContaining("position 11");
        assertThatThrownBy(() -> BodyTemplate.parse("{}")).hasMessageContaining("empty or nested placeholder");
        assertThatThrownBy(() -> BodyTemplate.parse("no columns")).hasMessageContaining("names no column");
    }
}
