package io.streamrag.cdc;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link DocumentsDatabaseIT}: starts the database on a directory, commits one row, says
 * READY on stdout and waits to be killed, the way a crashed test run leaves its PostgreSQL behind.
 */
public final class LeftRunningDatabase {

    static final String READY = "READY";
    static final String ROW_ID = "it-left-running";

    private LeftRunningDatabase() {
    }

    public static void main(String[] args) throws Exception {
        DocumentsDatabase database = DocumentsDatabase.start(Path.of(args[0]));
        new DocumentsTable(database).insert(ROW_ID, "Left running", "Committed before the JVM died.", "acme", "{}");
        System.out.println(READY);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
