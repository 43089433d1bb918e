package io.streamrag.serde.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrag.serde.InMemorySchemaRegistry;
import io.streamrag.serde.SchemaRegistration;
import io.streamrag.serde.SchemaRegistryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's history on disk: one JSON line per registration (as {@code GET /subjects/{s}/versions/{v}} answers it), written and forced to disk before the registration
 * takes effect, so every id a client was given is on disk. Append-only, because a registry never changes or forgets
 * a registration: replaying the lines in order rebuilds the same ids and versions.
 *
 * <p>The file is locked while open, so a second process on the same data directory fails at start instead of
 * handing out clashing ids. A last line without its newline is a write cut short by a crash (never acknowledged) and
 * is cut off; any other unreadable line stops the start, naming the file and line.
 */
final class SchemaJournal implements AutoCloseable {

    private static final ObjectMapper JSON = RegistrationJson.JSON;
    private static final Logger LOG = LoggerFactory.getLogger(SchemaJournal.class);

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final List<SchemaRegistration> recorded;

    private SchemaJournal(Path file, FileChannel channel, FileLock lock, List<SchemaRegistration> recorded) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.recorded = recorded;
    }

    /** Opens (creating it and its directory if missing), locks and reads the journal. */
    static SchemaJournal open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        boolean created = !Files.exists(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        if (created) {
            forceDirectory(parent);
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IOException("Schema journal " + file + " is in use by another registry (another streamrag"
                        + " process on the same data directory?)");
            }
            List<SchemaRegistration> recorded = read(file, channel);
            return new SchemaJournal(file, channel, lock, recorded);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Makes a new file's directory entry durable, so the file and the ids in it survive a crash of the machine. */
    private static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some platforms (Windows) cannot open a directory; the file's own force still holds its content
            LOG.debug("Cannot force directory {} to disk: {}", directory, e.toString());
        }
    }

    private static List<SchemaRegistration> read(Path file, FileChannel channel) throws IOException {
        // through the locked channel: on Linux, closing any other channel on the file would drop this process's lock
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(channel.size()));
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) >= 0) {
            // positional reads until the buffer is full or the file ends
        }
        byte[] bytes = Arrays.copyOf(buffer.array(), buffer.position());
        List<SchemaRegistration> registrations = new ArrayList<>();
        int start = 0;
        int lineNumber = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            lineNumber++;
            String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
            start = i + 1;
            if (line.isBlank()) {
                continue;
            }
            try {
                registrations.add(RegistrationJson.fromJson(JSON.readTree(line)));
            } catch (IOException | RuntimeException e) {
                throw new IOException("Schema journal " + file + " line " + lineNumber + " is unreadable: " + e.getMessage(), e);
            }
        }
        if (start < bytes.length) {
            LOG.warn("Schema journal {}: cutting off an incomplete last line of {} bytes (a write cut short, never"
                    + " acknowledged)", file, bytes.length - start);
            channel.truncate(start);
            channel.force(true);
        }
        return List.copyOf(registrations);
    }

    /** Rebuilds a registry from the recorded registrations, naming the line that does not fit. */
    void replayInto(InMemorySchemaRegistry registry) throws IOException {
        for (int i = 0; i < recorded.size(); i++) {
            try {
                registry.restore(recorded.get(i));
            } catch (RuntimeException e) {
                throw new IOException("Schema journal " + file + " registration " + (i + 1) + " (" + recorded.get(i).subject()
                        + " v" + recorded.get(i).version() + ", id " + recorded.get(i).id() + ") cannot be replayed: "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * Writes the registration and forces it to disk.
     *
     * @throws SchemaRegistryException (500, Confluent's 50001 store error) when it could not be written
     */
    synchronized void append(SchemaRegistration registration) {
        try {
            byte[] line = (JSON.writeValueAsString(RegistrationJson.toJson(registration)) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(line);
            long position = channel.size();
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new SchemaRegistryException("Error in the backend data store: cannot write the registration of "
                    + registration.subject() + " v" + registration.version() + " to " + file + ": " + e.getMessage(),
                    500, InMemorySchemaRegistry.STORE_ERROR);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
