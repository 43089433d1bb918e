package io.streamrag.qa;

/** A stage of the QA pipeline (embed, retrieve, generate) failed for a batch; the cause says why. */
public final class StageFailure extends RuntimeException {

    private final String stage;

    public StageFailure(String stage, String message, Throwable cause) {
        super(stage + " failed: " + message, cause);
        this.stage = stage;
    }

    public String stage() {
        return stage;
    }
}
