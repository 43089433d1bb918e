package io.streamrag.inference.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * Where a model runs: {@code cpu} or {@code cuda:N} (the N-th CUDA GPU). Parsed from configuration once; the DJL
 * {@link Device} is derived from it so that no other class has to know DJL's device naming.
 */
public record ComputeDevice(Kind kind, int index) {

    /** The two places we run models. */
    public enum Kind { CPU, CUDA }

    public static final ComputeDevice CPU = new ComputeDevice(Kind.CPU, -1);

    public ComputeDevice {
        if (kind == Kind.CUDA && index < 0) {
            throw new IllegalArgumentException("a CUDA device needs an index >= 0, got " + index);
        }
        if (kind == Kind.CPU) {
            index = -1;
        }
    }

    public static ComputeDevice cuda(int index) {
        return new ComputeDevice(Kind.CUDA, index);
    }

    /** Parses {@code cpu}, {@code cuda}, {@code cuda:N} (also DJL's {@code gpu}/{@code gpu:N} spelling). */
    public static ComputeDevice parse(String spec) {
        String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) {
            return CPU;
        }
        String[] parts = s.split(":", 2);
        if (parts[0].equals("cuda") || parts[0].equals("gpu")) {
            if (parts.length == 1) {
                return cuda(0);
            }
            try {
                return cuda(Integer.parseInt(parts[1]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("device '" + spec + "': the GPU index must be a number", e);
            }
        }
        throw new IllegalArgumentException("device '" + spec + "' is not one of cpu, cuda, cuda:N");
    }

    public boolean isGpu() {
        return kind == Kind.CUDA;
    }

    /**
     * Fails with set-up instructions when this is a GPU the PyTorch engine cannot see; call before loading weights
     * so a misconfigured host fails at start, not at the first record.
     */
    public void requireAvailable() {
        if (!isGpu()) {
            return;
        }
        int visible = Engine.getEngine("PyTorch").getGpuCount();
        if (index >= visible) {
            throw new IllegalStateException("device " + this + " is not available: the PyTorch engine sees "
                    + visible + " GPU(s). The bundled libtorch is CPU-only; on a CUDA host set"
                    + " PYTORCH_LIBRARY_PATH=<libtorch 2.7.1 cu128>/lib PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128");
        }
    }

    public Device toDjl() {
        return isGpu() ? Device.gpu(index) : Device.cpu();
    }

    @Override
    public String toString() {
        return isGpu() ? "cuda:" + index : "cpu";
    }
}
