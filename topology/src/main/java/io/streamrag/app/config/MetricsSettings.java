package io.streamrag.app.config;

/** @param port Prometheus endpoint port; 0 any free port, -1 off */
public record MetricsSettings(int port) {

    public boolean enabled() {
        return port >= 0;
    }
}
