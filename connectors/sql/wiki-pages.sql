-- The second sample source, a MySQL table with its own column names, loaded by the mysql service of
-- docker-compose.yml (/docker-entrypoint-initdb.d runs it once, as root, on an empty data directory).
-- connectors/mysql-documents.json captures it; the "wiki" source of connectors/streamrag-sources.yaml maps it.
--
-- Debezium's MySQL connector reads the binlog: the server must run with binlog_format=ROW and
-- binlog_row_image=FULL (docker-compose.yml sets both), the MySQL counterpart of REPLICA IDENTITY FULL.

CREATE DATABASE IF NOT EXISTS wiki;

CREATE TABLE IF NOT EXISTS wiki.pages (
    page_id     BIGINT       NOT NULL PRIMARY KEY,
    space       VARCHAR(64)  NOT NULL DEFAULT 'default',
    title       VARCHAR(255) NOT NULL,
    content     MEDIUMTEXT   NOT NULL,
    labels      JSON         NULL,
    updated_at  TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    -- a soft delete: the row stays, streamrag removes its chunks from the index
    is_deleted  BOOLEAN      NOT NULL DEFAULT FALSE
);

-- The connector joins replication as a replica and snapshots with a global read lock or table locks.
GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'streamrag'@'%';
GRANT ALL PRIVILEGES ON wiki.* TO 'streamrag'@'%';
FLUSH PRIVILEGES;

INSERT IGNORE INTO wiki.pages (page_id, space, title, content, labels) VALUES
    (1, 'engineering', 'On-call handbook',
     'The on-call engineer answers pages within fifteen minutes and writes an incident note for every outage.',
     JSON_OBJECT('team', 'sre', 'reviewed', '2026-10-01')),
    (2, 'engineering', 'Release process',
     'Releases are cut every Tuesday from the main branch after the integration suite passes.',
     JSON_OBJECT('team', 'platform'));
