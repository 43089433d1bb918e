-- The sample source table for streamrag's CDC ingest, loaded by the postgres service of docker-compose.yml
-- (/docker-entrypoint-initdb.d runs it once, on an empty data directory).
--
-- Debezium's PostgreSQL connector reads this table's changes from the write-ahead log with the built-in
-- pgoutput plugin; the server must run with wal_level=logical (docker-compose.yml sets it).

CREATE TABLE IF NOT EXISTS public.documents (
    id          text        PRIMARY KEY,
    title       text        NOT NULL,
    body        text        NOT NULL,
    tenant      text        NOT NULL DEFAULT 'default',
    metadata    jsonb       NOT NULL DEFAULT '{}'::jsonb,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    -- a soft delete: the row stays, streamrag removes its chunks from the index
    deleted     boolean     NOT NULL DEFAULT false
);

-- Without FULL, an UPDATE or DELETE event carries only the key columns in "before": streamrag could not tell
-- which tenant a deleted document belonged to, nor skip updates that did not touch title or body.
ALTER TABLE public.documents REPLICA IDENTITY FULL;

-- Keep updated_at true without relying on every writer to set it.
CREATE OR REPLACE FUNCTION public.documents_touch() RETURNS trigger AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS documents_touch ON public.documents;
CREATE TRIGGER documents_touch BEFORE UPDATE ON public.documents
    FOR EACH ROW EXECUTE FUNCTION public.documents_touch();

-- The connector would create this itself (publication.autocreate.mode=filtered), but only if its user owns the
-- table; creating it here lets the connector run as a user with replication rights alone.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'streamrag_documents') THEN
        CREATE PUBLICATION streamrag_documents FOR TABLE public.documents;
    END IF;
END
$$;

INSERT INTO public.documents (id, title, body, tenant, metadata) VALUES
    ('doc-kafka-streams', 'Kafka Streams',
     'Kafka Streams is a client library for building applications and microservices whose input and output data '
     || 'are stored in Kafka clusters. It offers exactly-once processing, stateful operations backed by local state '
     || 'stores and changelog topics, and windowed joins and aggregations.',
     'acme', '{"source": "wiki", "lang": "en", "tags": ["kafka", "streams"]}'),
    ('doc-debezium', 'Change data capture with Debezium',
     'Debezium reads the transaction log of a database and turns every committed insert, update and delete into '
     || 'an event on a Kafka topic, in commit order. A snapshot of the existing rows comes first, then the stream '
     || 'of changes, so a consumer can rebuild the table.',
     'acme', '{"source": "wiki", "lang": "en", "tags": ["cdc"]}'),
    ('doc-rag', 'Retrieval-augmented generation',
     'Retrieval-augmented generation answers a question by first retrieving the passages most similar to it from '
     || 'an index of embedded documents, then conditioning a sequence-to-sequence model such as BART on the question '
     || 'and those passages.',
     'globex', '{"source": "notes", "lang": "en"}'),
    ('doc-qdrant', 'Qdrant',
     'Qdrant is a vector database: it stores embeddings with a JSON payload, builds an HNSW index over them, and '
     || 'answers nearest-neighbour queries filtered on payload fields such as a tenant.',
     'globex', '{"source": "notes", "lang": "en", "tags": ["vector-search"]}')
ON CONFLICT (id) DO NOTHING;
