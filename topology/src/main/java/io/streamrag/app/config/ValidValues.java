package io.streamrag.app.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What values a key accepts, declared with the key in {@link ConfigCatalog} (as Kafka's {@code ConfigDef} pairs a
 * key with its type and validator). {@link ConfigReader} reads a key with the check its declaration names, so a range
 * is written in one place; a test checks every default against it.
 */
public sealed interface ValidValues {

    /**
     * Why {@code value} is not accepted, as the end of a sentence that starts with the key and value
     * ({@code qa.num.beams=0 must be between 1 and 64}); empty when it is.
     */
    Optional<String> problem(String value);

    /** Any text, also empty; parsed further where it is read (a URL, a device, a list). */
    record Text() implements ValidValues {
        @Override
        public Optional<String> problem(String value) {
            return Optional.empty();
        }
    }

    /** Text that must not be empty (a topic, an application id, a path). */
    record NonBlank() implements ValidValues {
        @Override
        public Optional<String> problem(String value) {
            return value.isBlank() ? Optional.of("must not be empty") : Optional.empty();
        }
    }

    /** A whole number in {@code [min, max]}; also milliseconds. */
    record WholeNumber(long min, long max) implements ValidValues {
        @Override
        public Optional<String> problem(String value) {
            try {
                long parsed = Long.parseLong(value);
                return parsed < min || parsed > max
                        ? Optional.of("must be between " + min + " and " + max) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.of("must be a whole number");
            }
        }
    }

    /** A decimal number in {@code [min, max]}. */
    record Decimal(double min, double max) implements ValidValues {
        @Override
        public Optional<String> problem(String value) {
            try {
                double parsed = Double.parseDouble(value);
                return parsed >= min && parsed <= max
                        ? Optional.empty() : Optional.of("must be between " + min + " and " + max);
            } catch (NumberFormatException e) {
                return Optional.of("must be a number");
            }
        }
    }

    /** {@code true} or {@code false}, in any case. */
    record Bool() implements ValidValues {
        @Override
        public Optional<String> problem(String value) {
            return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")
                    ? Optional.empty() : Optional.of("must be true or false");
        }
    }

    /** One of a fixed set of lower-case spellings, in any case. */
    record OneOf(List<String> choices) implements ValidValues {
        public OneOf {
            choices = List.copyOf(choices);
        }

        @Override
        public Optional<String> problem(String value) {
            return choices.contains(value.toLowerCase(Locale.ROOT))
                    ? Optional.empty() : Optional.of("must be one of " + String.join(", ", choices));
        }
    }

    static ValidValues text() {
        return new Text();
    }

    static ValidValues nonBlank() {
        return new NonBlank();
    }

    static ValidValues between(long min, long max) {
        return new WholeNumber(min, max);
    }

    static ValidValues atLeast(long min) {
        return new WholeNumber(min, Long.MAX_VALUE);
    }

    static ValidValues decimal(double min, double max) {
        return new Decimal(min, max);
    }

    static ValidValues bool() {
        return new Bool();
    }

    static ValidValues oneOf(String... choices) {
        return new OneOf(List.of(choices));
    }
}
