package io.streamrag.serde;

import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * In-process registries for {@code schema.registry.url=mock://<scope>}, one per scope name and shared by every
 * serde in the JVM that names the same scope, as Confluent users know it from tests. A scope lives until
 * {@link #dropScope(String)}.
 */
public final class MockSchemaRegistry {

    private static final ConcurrentMap<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private MockSchemaRegistry() {
    }

    /** The registry of this scope, created empty on first use. */
    public static SchemaRegistryClient clientForScope(String scope) {
        return SCOPES.computeIfAbsent(scope, name -> new InMemorySchemaRegistry("mock://" + name));
    }

    /** Forgets the scope and everything registered in it; the next use starts empty. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    /** The scope named by a {@code mock://scope} URL (everything after the scheme, trailing slash removed). */
    static String scopeOf(URI url) {
        String text = url.toString().substring("mock://".length());
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }
}
