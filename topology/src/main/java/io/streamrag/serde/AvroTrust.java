package io.streamrag.serde;

import org.apache.avro.specific.AvroGenerated;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Avro 1.12.2 refuses to instantiate classes it has not been told to trust ({@code SecurityException: Forbidden
 * ... not trusted}) unless {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES} is set. This adds our generated contract
 * classes to whatever the JVM already trusts, so the application needs no system property. Idempotent.
 */
public final class AvroTrust {

    /** The package the avro-maven-plugin generates the contracts into. */
    public static final String CONTRACTS_PACKAGE = "io.streamrag.contracts";

    private static final ClassSecurityPredicate CONTRACTS = type ->
            CONTRACTS_PACKAGE.equals(type.getPackageName()) && type.isAnnotationPresent(AvroGenerated.class);

    private static ClassSecurityPredicate installed;

    private AvroTrust() {
    }

    /** Trusts the generated {@code io.streamrag.contracts} classes on top of the current global validator. */
    public static synchronized void trustGeneratedClasses() {
        ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
        if (current == installed) {
            return;
        }
        installed = ClassSecurityValidator.composite(current, CONTRACTS);
        ClassSecurityValidator.setGlobal(installed);
    }

    /** Whether Avro would instantiate this class now. */
    public static boolean isTrusted(Class<?> type) {
        return ClassSecurityValidator.getGlobal().isTrusted(type);
    }
}
