package io.streamrag.app.startup;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.kafka.EmbeddedKafkaExtension;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaCoordinatorsIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void aFreshBrokerHasItsGroupAndTransactionCoordinatorsReadyAfterTheWarmUp() throws Exception {
        try (Admin admin = KAFKA.admin()) {
            assertThat(internalTopics(admin)).as("a fresh broker creates them on first use only")
                    .doesNotContain("__consumer_offsets", "__transaction_state");

            KafkaCoordinators.warmUp(admin, List.of("streamrag-ingest", "streamrag-qa"), Duration.ofSeconds(60));

            assertThat(internalTopics(admin)).contains("__consumer_offsets", "__transaction_state");
            // and they serve: the group lookup answers at once now
            assertThat(admin.listGroups().all().get(10, TimeUnit.SECONDS)).isEmpty();
        }
    }

    private static Set<String> internalTopics(Admin admin) throws Exception {
        return admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(10, TimeUnit.SECONDS);
    }
}
