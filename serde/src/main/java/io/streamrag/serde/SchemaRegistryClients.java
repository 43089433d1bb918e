package io.streamrag.serde;

/** Picks the client for a configuration: the in-process scope for {@code mock://}, REST otherwise. */
public final class SchemaRegistryClients {

    private SchemaRegistryClients() {
    }

    public static SchemaRegistryClient create(RegistryClientConfig config) {
        if (config.isMock()) {
            return MockSchemaRegistry.clientForScope(MockSchemaRegistry.scopeOf(config.urls().get(0)));
        }
        return new RestSchemaRegistryClient(config);
    }
}
