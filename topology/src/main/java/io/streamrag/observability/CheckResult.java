package io.streamrag.observability;

import java.util.Objects;

/** The answer of one health check: up or down, and a short reason a person can act on (a state, an error). */
public record CheckResult(boolean up, String detail) {

    public CheckResult {
        Objects.requireNonNull(detail, "detail");
    }

    public static CheckResult up(String detail) {
        return new CheckResult(true, detail);
    }

    public static CheckResult down(String detail) {
        return new CheckResult(false, detail);
    }
}
