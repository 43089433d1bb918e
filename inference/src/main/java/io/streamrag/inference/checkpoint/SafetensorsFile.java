package io.streamrag.inference.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One memory-mapped {@code .safetensors} file: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw data.
 *
 * <p>Written by hand because DJL's {@code NDList.decode} copies the whole file onto the heap and aborts the JVM on
 * BF16; mapping one tensor at a time keeps the heap small, and lets us widen
 * F16/BF16 to F32 ourselves.
 */
public final class SafetensorsFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Name, dtype, shape and byte range of one tensor inside the file. */
    public record TensorInfo(String name, String dtype, long[] shape, long begin, long end) {
        public long elementCount() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private final Path path;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, long dataStart, Map<String, TensorInfo> tensors,
                            Map<String, String> metadata) {
        this.path = path;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    public static SafetensorsFile open(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            if (channel.read(lengthBytes, 0) != 8) {
                throw new IOException(path + ": not a safetensors file (shorter than 8 bytes)");
            }
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength <= 0 || headerLength > 100_000_000L || 8 + headerLength > channel.size()) {
                throw new IOException(path + ": not a safetensors file (header length " + headerLength + ")");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            while (header.hasRemaining()) {
                if (channel.read(header, 8 + header.position()) < 0) {
                    throw new IOException(path + ": header ends early");
                }
            }
            JsonNode root = JSON.readTree(header.array());
            long dataStart = 8 + headerLength;
            long dataLength = channel.size() - dataStart;

            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                JsonNode t = e.getValue();
                long[] shape = new long[t.get("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = t.get("shape").get(i).asLong();
                }
                long begin = t.get("data_offsets").get(0).asLong();
                long end = t.get("data_offsets").get(1).asLong();
                if (end > dataLength || begin > end) {
                    throw new IOException(path + ": tensor " + e.getKey() + " lies outside the file");
                }
                tensors.put(e.getKey(), new TensorInfo(e.getKey(), t.get("dtype").asText(), shape, begin, end));
            }
            return new SafetensorsFile(path, dataStart, Collections.unmodifiableMap(tensors),
                    Collections.unmodifiableMap(metadata));
        }
    }

    public Path path() {
        return path;
    }

    public Set<String> names() {
        return tensors.keySet();
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new IllegalArgumentException(path + " has no tensor named " + name);
        }
        return info;
    }

    /** The tensor as float32 on the manager's device; F16 and BF16 are widened in Java (DJL has no BF16 path). */
    public NDArray loadFloat32(String name, NDManager manager) {
        TensorInfo info = info(name);
        // copied into engine memory: a tensor viewing the mapping would dangle once the mapping is collected
        return manager.create(floats(info), new Shape(info.shape()), DataType.FLOAT32);
    }

    /** The tensor as a float32 Java array (row-major, as stored); F16 and BF16 are widened. */
    public float[] readFloat32(String name) {
        TensorInfo info = info(name);
        if (info.elementCount() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(path + ": tensor " + name + " has " + info.elementCount()
                    + " elements, more than a Java array holds");
        }
        FloatBuffer values = floats(info);
        float[] out = new float[values.remaining()];
        values.get(out);
        return out;
    }

    /** F32 as a view of the mapping; F16 and BF16 widened onto the heap. */
    private FloatBuffer floats(TensorInfo info) {
        ByteBuffer bytes = map(info);
        switch (info.dtype()) {
            case "F32":
                return bytes.asFloatBuffer();
            case "F16": {
                ShortBuffer halves = bytes.asShortBuffer();
                FloatBuffer out = FloatBuffer.allocate(halves.remaining());
                while (halves.hasRemaining()) {
                    out.put(HalfFloats.toFloat(halves.get()));
                }
                return out.flip();
            }
            case "BF16": {
                ShortBuffer halves = bytes.asShortBuffer();
                FloatBuffer out = FloatBuffer.allocate(halves.remaining());
                while (halves.hasRemaining()) {
                    out.put(Float.intBitsToFloat((halves.get() & 0xFFFF) << 16));
                }
                return out.flip();
            }
            default:
                throw new IllegalArgumentException(path + ": tensor " + info.name() + " has dtype " + info.dtype()
                        + "; only F32, F16 and BF16 weights are supported");
        }
    }

    /** Maps one tensor's bytes; mapping per tensor keeps files over 2 GiB readable. */
    private ByteBuffer map(TensorInfo info) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + info.begin(),
                    info.end() - info.begin());
            return mapped.order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read tensor " + info.name() + " from " + path, e);
        }
    }
}
