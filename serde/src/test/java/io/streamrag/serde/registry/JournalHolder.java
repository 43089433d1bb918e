package io.streamrag.serde.registry;

import java.nio.file.Path;

/** Another process holding a registry's journal: opens it, says so, and keeps it until its stdin closes. */
public final class JournalHolder {

    private JournalHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (SchemaJournal journal = SchemaJournal.open(Path.of(args[0]))) {
            System.out.println("HOLDING");
            System.out.flush();
            System.in.read();
        }
    }
}
