package io.streamrag.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.kafka.deadletter.InfrastructureFailure;
import java.time.Duration;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class ThreadRestartPolicyTest {

    @Test
    void aWrappedInfrastructureFailureReplacesTheThreadOtherFailuresDoNot() {
        StreamsException wrapped = new StreamsException("task 0_1 failed",
                new RuntimeException("flush failed", new InfrastructureFailure("qdrant unavailable")));

        assertThat(ThreadRestartPolicy.isInfrastructureFailure(wrapped)).isTrue();
        assertThat(ThreadRestartPolicy.isInfrastructureFailure(new StreamsException("bug", new IllegalStateException())))
                .isFalse();
        assertThat(ThreadRestartPolicy.isInfrastructureFailure(new OutOfMemoryError())).isFalse();
    }

    @Test
    void pausesDoubleWhileFailuresRepeatAndStopAtTheCap() {
        ThreadRestartPolicy policy = new ThreadRestartPolicy();

        assertThat(policy.nextPause()).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.nextPause()).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.nextPause()).isEqualTo(Duration.ofSeconds(2));
        for (int i = 0; i < 10; i++) {
            policy.nextPause();
        }
        assertThat(policy.nextPause()).isEqualTo(ThreadRestartPolicy.MAX_PAUSE);
    }
}
