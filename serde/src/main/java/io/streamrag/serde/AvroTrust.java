package io.streamrag.serde;

import org.apache.avro.specific.AvroGenerated;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Avro 1.12.2 refuses to instantiate classes it has not been told to trust ({@code SecurityException: Forbidden
 * ... not trusted}) unless {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES} is set. This adds the classes the
 * avro-maven-plugin generates (annotated {@link AvroGenerated}: records, enums, fixed) to whatever the JVM already
 * trusts, so neither the application nor a user's own contracts need the system property. Classes a schema merely
 * names ({@code java-class}), the attack the validator exists for, stay refused. Idempotent.
 */
public final class AvroTrust {

    private static final ClassSecurityPredicate GENERATED = type -> type.isAnnotationPresent(AvroGenerated.class);

    private static ClassSecurityPredicate installed;

    private AvroTrust() {
    }

    /** Trusts Avro-generated classes on top of the current global validator. */
    public static synchronized void trustGeneratedClasses() {
        ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
        if (current == installed) {
            return;
        }
        installed = ClassSecurityValidator.composite(current, GENERATED);
        ClassSecurityValidator.setGlobal(installed);
    }

    /** Whether Avro would instantiate this class now. */
    public static boolean isTrusted(Class<?> type) {
        return ClassSecurityValidator.getGlobal().isTrusted(type);
    }
}
