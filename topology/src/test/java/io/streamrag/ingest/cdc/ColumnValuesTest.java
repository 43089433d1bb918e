package io.streamrag.ingest.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrag.ingest.RejectedRecordException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Column values as Debezium's converters write them, read as versions, flags, text and metadata. */
class ColumnValuesTest {

    @Test
    void versionsAreIntegersOrTimestampsInEpochMicroseconds() {
        assertThat(ColumnValues.version(42)).isEqualTo(42);
        assertThat(ColumnValues.version(1_700_000_000_123_456L)).isEqualTo(1_700_000_000_123_456L);
        assertThat(ColumnValues.version("981")).isEqualTo(981);
        // io.debezium.time.ZonedTimestamp (timestamptz)
        assertThat(ColumnValues.version("2023-11-14T22:13:20.123456Z")).isEqualTo(1_700_000_000_123_456L);
        assertThat(ColumnValues.version("2023-11-15T00:13:20.5+02:00")).isEqualTo(1_700_000_000_500_000L);
        // a timestamp without zone, taken as UTC, with or without the 'T'
        assertThat(ColumnValues.version("2023-11-14 22:13:20")).isEqualTo(1_700_000_000_000_000L);
        assertThatThrownBy(() -> ColumnValues.version(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ColumnValues.version("yesterday")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void flagsAcceptBooleansNumbersAndTheirSpellings() {
        assertThat(List.of(true, 1, "true", "t", "1", "yes", " TRUE ")).allMatch(ColumnValues::truthy);
        assertThat(List.of(false, 0, "false", "f", "0", "no", "")).noneMatch(ColumnValues::truthy);
        assertThat(ColumnValues.truthy(null)).isFalse();
    }

    @Test
    void aJsonColumnBecomesFlatMetadata() {
        assertThat(ColumnValues.metadataObject("{\"lang\": \"en\", \"rank\": 2, \"tags\": [\"a\"], \"x\": null}"))
                .containsExactly(Map.entry("lang", "en"), Map.entry("rank", "2"), Map.entry("tags", "[\"a\"]"));
        assertThat(ColumnValues.metadataObject(Map.of("lang", "de"))).containsExactly(Map.entry("lang", "de"));
        assertThat(ColumnValues.metadataObject(null)).isEmpty();
        assertThatThrownBy(() -> ColumnValues.metadataObject("[1, 2]")).hasMessageContaining("not an object");
        assertThatThrownBy(() -> ColumnValues.metadataObject("{broken")).hasMessageContaining("not JSON");
    }

    @Test
    void binlogPositionsGrowWithFileAndOffset() {
        long early = BinlogPosition.of("mysql-bin.000002", 9_000_000);
        long later = BinlogPosition.of("mysql-bin.000003", 4);
        assertThat(later).isGreaterThan(early);
        assertThat(BinlogPosition.of("mysql-bin.000003", 5)).isGreaterThan(later);
        assertThat(BinlogPosition.of(null, 5)).isNull();
        assertThatThrownBy(() -> BinlogPosition.of("mysql-bin.000003", -1))
                .isInstanceOf(RejectedRecordException.class);
    }
}
