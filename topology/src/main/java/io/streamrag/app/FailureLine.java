package io.streamrag.app;

import io.streamrag.app.startup.StartupException;

/**
 * The one line a failed command prints. A {@link StartupException} is already written for a person (cause and
 * setting); anything else is unexpected, so the line names its innermost cause and how to see the whole trace.
 */
final class FailureLine {

    private FailureLine() {
    }

    static String of(String command, Throwable failure, boolean verbose) {
        StartupException startup = find(failure);
        if (startup != null) {
            return "streamrag " + command + ": " + startup.getMessage();
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = message(failure);
        if (root != failure && !reason.contains(message(root))) {
            reason += " (" + root.getClass().getSimpleName() + ": " + message(root) + ")";
        }
        return "streamrag " + command + " failed: " + reason + (verbose ? "" : " [--verbose prints the stack trace]");
    }

    private static StartupException find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StartupException startup) {
                return startup;
            }
        }
        return null;
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().lines().findFirst().orElse("");
    }
}
