package io.streamrag.app;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where start-up time goes, step by step, for the one "Started in ..." line: the numbers behind the start-up
 * section of {@code docs/benchmarks.md}. Counts from the JVM's start, so class loading before {@code run} shows too;
 * steps that run beside the laps on another thread (the broker's start) are listed after them.
 */
final class StartupTimer {

    private final long jvmStartMs = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
    private final Map<String, Long> laps = new LinkedHashMap<>();
    private final Map<String, Long> background = new LinkedHashMap<>();
    private long lastMs;

    StartupTimer() {
        lastMs = System.currentTimeMillis();
        laps.put("jvm", lastMs - jvmStartMs);
    }

    /** Records the time since the previous lap under {@code step}. */
    void lap(String step) {
        long now = System.currentTimeMillis();
        laps.merge(step, now - lastMs, Long::sum);
        lastMs = now;
    }

    /** Records a step that ran beside the laps (on another thread), from {@code startNanos} until now. */
    void background(String step, long startNanos) {
        long ms = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        synchronized (background) {
            background.put(step, ms);
        }
    }

    long totalMs() {
        return lastMs - jvmStartMs;
    }

    @Override
    public String toString() {
        String inBackground;
        synchronized (background) {
            inBackground = background.isEmpty() ? "" : "; meanwhile " + format(background);
        }
        return String.format("%.1f s (%s%s)", totalMs() / 1000.0, format(laps), inBackground);
    }

    private static String format(Map<String, Long> steps) {
        return steps.entrySet().stream()
                .map(e -> e.getKey() + " " + String.format("%.1f", e.getValue() / 1000.0) + " s")
                .collect(Collectors.joining(", "));
    }
}
