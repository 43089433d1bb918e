package io.streamrag.ingest;

/** Why an input record went to the dead-letter topic; the code tags the dead-letter counter. */
public enum RejectReason {
    UNPARSEABLE("unparseable", "deserialize"),
    WRONG_SCHEMA("wrong-schema", "deserialize"),
    NO_ID("no-id", "validate"),
    NO_VERSION("no-version", "map"),
    BAD_VERSION("bad-version", "validate"),
    BAD_FIELD("bad-field", "map"),
    KEY_MISMATCH("key-mismatch", "validate"),
    BODY_TOO_LONG("body-too-long", "validate"),
    UNSUPPORTED_OPERATION("unsupported-operation", "map");

    private final String code;
    private final String stage;

    RejectReason(String code, String stage) {
        this.code = code;
        this.stage = stage;
    }

    /** Short, stable name: the metric tag, and the start of {@code DeadLetter.errorMessage}. */
    public String code() {
        return code;
    }

    /** {@code DeadLetter.stage}: where the record failed. */
    public String stage() {
        return stage;
    }
}
