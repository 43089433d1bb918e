package io.streamrag.observability;

import java.util.function.Supplier;

/** One named question a liveness or readiness probe asks; the name shows in the probe's JSON. */
public interface HealthCheck {

    String name();

    /** Must not throw; a failure to find out is a down result naming the failure. */
    CheckResult check();

    static HealthCheck of(String name, Supplier<CheckResult> check) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CheckResult check() {
                try {
                    return check.get();
                } catch (RuntimeException e) {
                    return CheckResult.down(e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
        };
    }
}
