package io.streamrag.cdc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * A real PostgreSQL server (zonky's embedded binaries, run as {@code nobody} in a user namespace) holding the
 * {@code documents} table of {@code connectors/sql/documents.sql}, set up for logical decoding the way
 * {@code docker-compose.yml} sets up its postgres service: a {@code streamrag} database owned by a {@code streamrag}
 * login role with the {@code REPLICATION} attribute, which is the user the connector config names.
 *
 * <p>The data directory is kept between starts, so a restart finds the same rows, replication slot and WAL.
 */
final class DocumentsDatabase implements AutoCloseable {

    static final String DATABASE = "streamrag";
    static final String USER = "streamrag";
    static final String PASSWORD = "streamrag";

    private final EmbeddedPostgres postgres;

    private DocumentsDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts PostgreSQL on {@code dataDir} (initdb on first use) and loads the sample schema and rows unless the
     * database exists already.
     */
    static DocumentsDatabase start(Path dataDir) throws IOException, SQLException {
        Files.createDirectories(dataDir);
        StalePostmaster.stopIfRunning(dataDir);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                // logical decoding for pgoutput; a few spare senders/slots for a restarted connector
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_wal_senders", "4")
                .setServerConfig("max_replication_slots", "4")
                // zonky turns both off for speed; with them off a change right after COMMIT was seen not yet
                // decodable, and a durable source is what CDC is about
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .start();
        DocumentsDatabase database = new DocumentsDatabase(postgres);
        try {
            database.createOnFirstStart();
        } catch (SQLException | RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    int port() {
        return postgres.getPort();
    }

    /** A connection as the application's user to the {@code streamrag} database, auto-commit on. */
    Connection connect() throws SQLException {
        return dataSource().getConnection();
    }

    /** Runs one statement (or a script) in its own transaction and returns when it has committed. */
    void execute(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Where the server inserts its next WAL record, as a number like Debezium's {@code source.lsn}. */
    long currentWalLsn() throws SQLException {
        try (Connection connection = connect();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Whether a client is streaming from the replication slot {@code slotName} right now. */
    boolean slotActive(String slotName) throws SQLException {
        try (Connection connection = connect();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(
                     "SELECT active FROM pg_replication_slots WHERE slot_name = '" + slotName + "'")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    private DataSource dataSource() {
        return postgres.getDatabase(USER, DATABASE);
    }

    private void createOnFirstStart() throws SQLException {
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
             Statement statement = admin.createStatement()) {
            try (ResultSet rs = statement.executeQuery(
                    "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            statement.execute("CREATE ROLE " + USER + " WITH LOGIN REPLICATION PASSWORD '" + PASSWORD + "'");
            statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
        }
        // As the owner, like docker's initdb scripts: the table and its publication belong to streamrag.
        execute(readSchema());
    }

    private static String readSchema() {
        Path file = ProjectFiles.locate(ProjectFiles.DOCUMENTS_SQL);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the sample schema " + file, e);
        }
    }
}
