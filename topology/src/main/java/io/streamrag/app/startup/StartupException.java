package io.streamrag.app.startup;

/**
 * A reason the application cannot start that the person starting it can fix (a busy port, a data directory in use,
 * a model that cannot be fetched). The message is one line naming the cause and the setting to change; the command
 * line prints it without a stack trace unless {@code --verbose}.
 */
public class StartupException extends RuntimeException {

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
