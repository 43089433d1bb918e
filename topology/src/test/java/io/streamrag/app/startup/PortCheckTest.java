package io.streamrag.app.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import io.streamrag.app.config.AppConfig;
import io.streamrag.app.config.ConfigLoader;
import org.junit.jupiter.api.Test;

class PortCheckTest {

    private static AppConfig config(Map<String, String> overrides) {
        return new ConfigLoader(Map.of(), new Properties()).load(Optional.empty(), overrides);
    }

    @Test
    void theDefaultsProbeBrokerRegistryAndMetricsPorts() {
        assertThat(PortCheck.listeners(AppConfig.defaults())).extracting(PortCheck.Listener::port)
                .containsExactly(9092, 8081, 9404);
    }

    @Test
    void externalServicesAndPortZeroNeedNoProbe() {
        AppConfig config = config(Map.of("kafka.bootstrap.servers", "broker:9092",
                "schema.registry.url", "http://registry:8081", "metrics.port", "0"));

        assertThat(PortCheck.listeners(config)).isEmpty();
    }

    @Test
    void aBusyPortIsNamedWithItsSetting() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = busy.getLocalPort();
            AppConfig config = config(Map.of("kafka.embedded.port", Integer.toString(port),
                    "schema.registry.embedded.port", "0", "metrics.port", "0"));

            assertThatThrownBy(() -> PortCheck.requireFree(PortCheck.listeners(config)))
                    .isInstanceOf(StartupException.class)
                    .hasMessage("port " + port + " for the embedded Kafka broker is in use (kafka.embedded.port="
                            + port + "): is another streamrag or Kafka running? Stop it, or set kafka.embedded.port"
                            + " to a free port (0 picks one)");
        }
    }

    @Test
    void freePortsPass() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        AppConfig config = config(Map.of("kafka.embedded.port", Integer.toString(port),
                "schema.registry.embedded.port", "0", "metrics.port", "0"));

        assertThatCode(() -> PortCheck.requireFree(PortCheck.listeners(config))).doesNotThrowAnyException();
    }
}
