package io.streamrag.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Writes to {@code public.documents}, one transaction per call, each returning where its commit landed so a test
 * can match the change event to it.
 */
final class DocumentsTable {

    /**
     * A committed transaction: its id and the WAL insert positions just before it began and just after it
     * committed. Every change it made starts at an LSN in between (the first one may start right at
     * {@code walBefore}).
     */
    record Commit(long txId, long walBefore, long walAfter, long committedAtNanos) {
    }

    private final DocumentsDatabase database;

    DocumentsTable(DocumentsDatabase database) {
        this.database = database;
    }

    Commit insert(String id, String title, String body, String tenant, String metadataJson) throws SQLException {
        return inTransaction("INSERT INTO documents (id, title, body, tenant, metadata) VALUES (?, ?, ?, ?, ?::jsonb)",
                id, title, body, tenant, metadataJson);
    }

    Commit updateBody(String id, String body) throws SQLException {
        return inTransaction("UPDATE documents SET body = ? WHERE id = ?", body, id);
    }

    /** Marks the row deleted without removing it; the ingest treats it as a delete. */
    Commit softDelete(String id) throws SQLException {
        return inTransaction("UPDATE documents SET deleted = true WHERE id = ?", id);
    }

    Commit delete(String id) throws SQLException {
        return inTransaction("DELETE FROM documents WHERE id = ?", id);
    }

    private Commit inTransaction(String sql, String... parameters) throws SQLException {
        long walBefore = database.currentWalLsn();
        long txId;
        long committedAt;
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setString(i + 1, parameters[i]);
                }
                if (statement.executeUpdate() != 1) {
                    throw new IllegalStateException("Expected one row changed by " + sql + " with "
                            + String.join(", ", parameters));
                }
            }
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT pg_current_xact_id()::text::bigint")) {
                rs.next();
                txId = rs.getLong(1);
            }
            connection.commit();
            committedAt = System.nanoTime();
        }
        return new Commit(txId, walBefore, database.currentWalLsn(), committedAt);
    }
}
