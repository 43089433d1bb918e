package io.streamrag.qa;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/**
 * Where a question may ask its answer to go. {@code replyTo} comes from whoever can write a question, so it is checked
 * against an allow-list (by default the answers topic and topics whose names start with it) and must name an
 * existing topic: anything else is answered INVALID on the answers topic. One question's reply target can then
 * neither stall the other answers (a metadata wait for a missing topic) nor stop the role (an invalid topic name).
 */
public final class ReplyTargets {

    private final String answersTopic;
    private final List<String> allowed;
    private final TopicDirectory directory;

    /**
     * @param allowed topic names, or prefixes ending in {@code *}; empty: the answers topic and its name as prefix
     */
    public ReplyTargets(String answersTopic, List<String> allowed, TopicDirectory directory) {
        this.answersTopic = answersTopic;
        this.allowed = allowed == null || allowed.isEmpty() ? List.of(answersTopic + "*") : List.copyOf(allowed);
        this.directory = directory;
    }

    /** Why the answer cannot go to {@code replyTo}, or empty when it can (also when there is no replyTo). */
    public Optional<String> problemWith(String replyTo) {
        if (replyTo == null || replyTo.equals(answersTopic)) {
            return Optional.empty();
        }
        try {
            Topic.validate(replyTo);
        } catch (InvalidTopicException e) {
            return Optional.of("replyTo is not a valid topic name: " + e.getMessage());
        }
        if (allowed.stream().noneMatch(entry -> matches(entry, replyTo))) {
            return Optional.of("replyTo '" + replyTo + "' is not an allowed reply topic (allowed: "
                    + String.join(", ", allowed) + ")");
        }
        if (!directory.exists(replyTo)) {
            return Optional.of("reply topic '" + replyTo + "' does not exist");
        }
        return Optional.empty();
    }

    private static boolean matches(String entry, String topic) {
        return entry.endsWith("*") ? topic.startsWith(entry.substring(0, entry.length() - 1)) : entry.equals(topic);
    }
}
