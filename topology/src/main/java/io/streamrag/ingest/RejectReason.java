package io.streamrag.ingest;

/** Why an input record went to the dead-letter topic; the code tags the dead-letter counter. */
public enum RejectReason {
    UNPARSEABLE("unparseable", "deserialize"),
    WRONG_SCHEMA("wrong-schema", "deserialize"),
    NO_ID("no-id", "validate"),
    NO_VERSION("no-version", "map"),
    BAD_VERSION("bad-version", "validate"),
    BAD_FIELD("bad-field", "map"),
    BODY_TOO_LONG("body-too-long", "validate"),
    UNSUPPORTED_OPERATION("unsupported-operation", "map");

    private final String code;
    private final String stage;

    RejectReason(String code, String stage) {
        this.code = code;
        this.stage = stage;
    }

    /** Short, stable name used as metric tag and as {@code DeadLetter.errorClass}. */
    public String code() {
        return code;
    }

    /** {@code DeadLetter.stage}: where the record failed. */
    public String stage() {
        return stage;
    }
}
