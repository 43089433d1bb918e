package io.streamrag.serde;

import java.util.stream.Collectors;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Avro's reasons one schema cannot read another, in one line for an exception message (Avro's own description
 * prints both full schemas).
 */
final class Incompatibilities {

    private Incompatibilities() {
    }

    static String describe(SchemaPairCompatibility compatibility) {
        return compatibility.getResult().getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
                .collect(Collectors.joining("; "));
    }
}
