package io.streamrag.store.qdrant;

import java.util.Locale;

/**
 * How new Qdrant collections are built and searched; 0 (or NONE) leaves a setting to the server's default.
 *
 * @param hnswM             edges per node of the HNSW graph ({@code hnsw_config.m}; Qdrant's default 16)
 * @param hnswEfConstruct   neighbours considered while building the graph ({@code hnsw_config.ef_construct}; 100)
 * @param searchEf          the beam of a search ({@code params.hnsw_ef}; the server picks one when 0)
 * @param quantization      {@code INT8}: scalar quantisation of the dense vectors (a quarter of the memory,
 *                          rescored with the original vectors by Qdrant)
 * @param onDisk            keep the dense vectors and the HNSW graph on disk (memory-mapped) instead of in RAM
 * @param shards            shards of the collection ({@code shard_number})
 * @param replicationFactor copies of each shard in a cluster ({@code replication_factor})
 */
public record CollectionOptions(int hnswM, int hnswEfConstruct, int searchEf, Quantization quantization,
                                boolean onDisk, int shards, int replicationFactor) {

    /** Quantisation of the stored dense vectors. */
    public enum Quantization {
        NONE,
        INT8;

        /** The quantisation named {@code label} (case-insensitive), or null. */
        public static Quantization parse(String label) {
            for (Quantization value : values()) {
                if (value.name().equalsIgnoreCase(label)) {
                    return value;
                }
            }
            return null;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Everything as the server decides. */
    public static final CollectionOptions SERVER_DEFAULTS = new CollectionOptions(0, 0, 0, Quantization.NONE, false,
            0, 0);

    public CollectionOptions {
        if (hnswM < 0 || hnswEfConstruct < 0 || searchEf < 0 || shards < 0 || replicationFactor < 0) {
            throw new IllegalArgumentException("Qdrant collection settings must not be negative");
        }
        if (quantization == null) {
            quantization = Quantization.NONE;
        }
    }
}
