package io.streamrag.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScaleOutInstance} running in a child JVM: its last reported state, its CPU time, a clean stop (SIGTERM)
 * and a kill (SIGKILL). Its output goes to a log file; the {@code @@} lines are its reports.
 */
final class InstanceProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private volatile String lastReport = "";

    private InstanceProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        Thread reader = new Thread(this::readOutput, "instance-output-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code ScaleOutInstance} with {@code args} in a JVM on this one's class path. */
    static InstanceProcess start(String name, Path logDir, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + System.getProperty("bench.instanceHeap", "2g"));
        command.add("-Dai.djl.offline=true");
        command.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.streamrag");
        command.add("-Dbench.onnxThreads=" + Integer.getInteger("bench.onnxThreads", 0));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ScaleOutInstance.class.getName());
        command.addAll(args);
        Files.createDirectories(logDir);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new InstanceProcess(name, process, logDir.resolve(name + ".log"));
    }

    String name() {
        return name;
    }

    /** The state last reported: {@code RUNNING 0,3}, {@code REBALANCING}, {@code ERROR}, {@code STOPPED}, or "". */
    String lastReport() {
        return lastReport;
    }

    boolean running() {
        return lastReport.startsWith("RUNNING");
    }

    /** The input partitions owned at the last RUNNING report. */
    Set<Integer> partitions() {
        Set<Integer> partitions = new TreeSet<>();
        String report = lastReport;
        if (report.startsWith("RUNNING ")) {
            for (String partition : report.substring("RUNNING ".length()).split(",")) {
                if (!partition.isBlank()) {
                    partitions.add(Integer.parseInt(partition.trim()));
                }
            }
        }
        return partitions;
    }

    /** User plus system CPU time of the whole process (all its threads, native ones included), in nanoseconds. */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /** SIGKILL: no commit, no leaving the group, no abort of the open transaction. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the instance closes its Streams client and leaves the group; killed if it takes over a minute. */
    void stop() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.println(line);
                if (line.startsWith("@@ ")) {
                    lastReport = line.substring(3).trim();
                }
            }
        } catch (IOException e) {
            lastReport = "OUTPUT LOST: " + e.getMessage();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", " + lastReport + ", log " + log + ")";
    }
}
