package io.streamrag.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import io.streamrag.app.config.AppConfig;
import org.junit.jupiter.api.Test;

/** The lifecycle rules that need no broker. */
class AppRuntimeTest {

    @Test
    void aRuntimeClosedBeforeItStartedStartsNothingAndDoesNotBlockWaiters() throws InterruptedException {
        AppRuntime runtime = AppRuntime.create(AppConfig.defaults());

        runtime.close(); // e.g. SIGTERM while the configuration was still loading

        assertThat(runtime.awaitTermination(Duration.ZERO)).isTrue();
        assertThatThrownBy(() -> runtime.start(List.of())).hasMessageContaining("not after close()");
        assertThatThrownBy(runtime::bootstrapServers).hasMessageContaining("has not started");
    }

    @Test
    void readinessIsDownUntilEveryRoleHasStarted() {
        AppRuntime runtime = AppRuntime.create(AppConfig.defaults());

        // before: no role is registered yet, and an empty readiness report used to read UP
        assertThat(runtime.health().readiness().up()).isFalse();
        assertThat(runtime.health().readiness().checks().get("startup").detail()).isEqualTo("not started");
        runtime.close();
    }
}
