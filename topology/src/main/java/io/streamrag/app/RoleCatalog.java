package io.streamrag.app;

import java.util.List;

/**
 * The roles this build can run. The integrator registers each role's {@link RoleTopology} here, e.g.
 * {@code List.of(new IngestRole(), new QaRole())}.
 */
public final class RoleCatalog {

    private RoleCatalog() {
    }

    public static List<RoleTopology> builtIn() {
        return List.of(new IngestRole(), new QaRole());
    }
}
