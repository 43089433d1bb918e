package io.streamrag.app.config;

/**
 * How the application treats records that fail.
 *
 * @param deadLetterMaxBytes a dead letter keeps the original key and value up to this many bytes each; beyond it the
 *                           head, the original size and a SHA-256
 * @param quarantineAttempts a record that failed this many times for a reason of its own (not an outage) goes to the
 *                           dead-letter topic instead of being tried again
 */
public record FailureSettings(int deadLetterMaxBytes, int quarantineAttempts) {
}
