package io.streamrag.inference.checkpoint.hub;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs each file's download at every tenth of its size, so a long first start shows it is moving. */
public final class LoggedProgress implements DownloadProgress {
    private static final Logger LOG = LoggerFactory.getLogger(LoggedProgress.class);

    private final Map<String, Integer> lastTenth = new HashMap<>();

    @Override
    public synchronized void onBytes(String file, long done, long total) {
        if (total <= 0) {
            return;
        }
        int tenth = (int) Math.min(10, done * 10 / total);
        Integer last = lastTenth.get(file);
        if (last == null || tenth > last) {
            lastTenth.put(file, tenth);
            if (last != null || tenth > 0) {
                LOG.info("downloading {}: {}% of {} MB", file, tenth * 10, String.format("%.1f", total / 1e6));
            }
        }
    }
}
