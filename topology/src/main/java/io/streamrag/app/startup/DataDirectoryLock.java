package io.streamrag.app.startup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Exclusive use of {@code kafka.data.dir} by one running application. A second process on the same directory would
 * start a second broker on the same KRaft log and corrupt it for both (seen: {@code CorruptRecordException} in
 * {@code __cluster_metadata}, the first JVM halted); Kafka's own {@code .lock} is taken only after it has touched
 * the log. So the application takes this lock first, before any broker, registry or Streams state is opened.
 *
 * <p>An OS file lock ({@link FileChannel#tryLock()}), not a marker file: it is released when the process dies,
 * even by {@code kill -9}, so a crash never leaves a stale lock behind. The file holds the owner's pid and start time
 * so the refusal can name the running process.
 */
public final class DataDirectoryLock implements AutoCloseable {

    /** The lock file, inside the data directory. */
    public static final String FILE_NAME = "streamrag.lock";

    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(Path directory, FileChannel channel, FileLock lock) {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the directory when missing and locks it for this process.
     *
     * @throws StartupException naming the directory and the process holding it, when another process holds it
     */
    public static DataDirectoryLock acquire(Path dataDir) {
        Path directory = dataDir.toAbsolutePath().normalize();
        Path file = directory.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            Files.createDirectories(directory);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                lock = null;
            }
            if (lock == null) {
                String owner = readOwner(channel);
                channel.close();
                throw new StartupException("data directory " + directory + " (kafka.data.dir) is in use by "
                        + (owner.isBlank() ? "another streamrag process" : owner)
                        + ": stop that process, or set kafka.data.dir to another directory");
            }
            String owner = "streamrag pid " + ProcessHandle.current().pid() + " (started " + Instant.now() + ")";
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((owner + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new DataDirectoryLock(directory, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("Cannot lock the data directory " + directory + " (kafka.data.dir): "
                    + e.getMessage(), e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** Releases the lock; the file stays (deleting it would race with a process about to lock it). */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot release the lock on " + directory, e);
        }
    }

    private static String readOwner(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(512);
        int read = channel.read(buffer, 0);
        return read <= 0 ? "" : new String(buffer.array(), 0, read, StandardCharsets.UTF_8).strip();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing with the cause that matters
            }
        }
    }
}
