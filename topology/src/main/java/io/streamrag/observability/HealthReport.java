package io.streamrag.observability;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a probe answers: up when every check is up, and each check's result by name (in registration order). */
public record HealthReport(boolean up, Map<String, CheckResult> checks) {

    public HealthReport {
        checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    }
}
