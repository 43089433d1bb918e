package io.streamrag.ingest.cdc;

import io.streamrag.ingest.RejectReason;
import io.streamrag.ingest.RejectedRecordException;

/**
 * MySQL's counterpart of an LSN: Debezium's {@code source.file} ({@code mysql-bin.000042}) and {@code source.pos}
 * (byte offset in that file) folded into one increasing number, {@code fileNumber << 32 | pos}. Binlog files are far
 * smaller than 4 GiB, and their numbers only grow, so a later event of a row always has a larger value, even when
 * two updates share one updated-at second.
 */
final class BinlogPosition {

    private BinlogPosition() {
    }

    /** The folded position, or null when the event has no binlog coordinates. */
    static Long of(Object file, Object pos) {
        String name = ColumnValues.text(file);
        if (name == null || pos == null) {
            return null;
        }
        int dot = name.lastIndexOf('.');
        long fileNumber;
        try {
            fileNumber = Long.parseLong(name.substring(dot + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        long offset;
        try {
            offset = ColumnValues.version(pos);
        } catch (IllegalArgumentException e) {
            throw new RejectedRecordException(RejectReason.BAD_VERSION, null, "unreadable binlog position", e);
        }
        if (offset < 0 || offset >= (1L << 32) || fileNumber >= (1L << 31)) {
            throw new RejectedRecordException(RejectReason.BAD_VERSION, null,
                    "binlog position out of range: " + name + " @ " + offset);
        }
        return (fileNumber << 32) | offset;
    }
}
