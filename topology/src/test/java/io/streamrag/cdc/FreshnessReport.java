package io.streamrag.cdc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * How long after a database COMMIT a change could be seen at each step of the pipeline, over many changes, printed
 * as a table (a measurement, not an assertion: timings on a shared CPU vary).
 */
final class FreshnessReport {

    /**
     * One change's delays after its COMMIT returned, in milliseconds, and the delay its {@code IndexUpdate} reports
     * ({@code appliedTime - sourceTime}, from Debezium's {@code source.ts_ms}; millisecond clocks).
     */
    record Sample(String kind, double toChangeEvent, double toSearchable, double toIndexUpdate,
                  double reportedByIngest) {

        double eventToSearchable() {
            return toSearchable - toChangeEvent;
        }
    }

    private final List<Sample> samples = new ArrayList<>();

    void add(Sample sample) {
        samples.add(sample);
    }

    int size() {
        return samples.size();
    }

    String table(String settings) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nCDC freshness: %d changes (%s), ms after COMMIT returned; %s%n",
                samples.size(), kinds(), settings));
        out.append(String.format(Locale.ROOT, "%-44s %8s %8s %8s%n", "step", "p50", "p99", "max"));
        row(out, "change event on cdc.public.documents", Sample::toChangeEvent);
        row(out, "searchable in the store (chunks replaced)", Sample::toSearchable);
        row(out, "IndexUpdate committed on index-updates", Sample::toIndexUpdate);
        row(out, "  of which change event -> searchable", Sample::eventToSearchable);
        row(out, "  IndexUpdate appliedTime - sourceTime", Sample::reportedByIngest);
        return out.toString();
    }

    private void row(StringBuilder out, String step, ToDoubleFunction<Sample> delay) {
        double[] sorted = samples.stream().mapToDouble(delay).sorted().toArray();
        out.append(String.format(Locale.ROOT, "%-44s %8.1f %8.1f %8.1f%n", step, percentile(sorted, 50),
                percentile(sorted, 99), sorted[sorted.length - 1]));
    }

    private String kinds() {
        return samples.stream().collect(java.util.stream.Collectors.groupingBy(Sample::kind,
                java.util.TreeMap::new, java.util.stream.Collectors.counting())).toString();
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
