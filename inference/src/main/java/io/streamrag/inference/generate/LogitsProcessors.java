package io.streamrag.inference.generate;

import java.util.ArrayList;
import java.util.List;

/** The processors a {@link GenerationSettings} implies, in the order Hugging Face's {@code generate} applies them. */
final class LogitsProcessors {
    private final List<LogitsProcessor> processors;

    private LogitsProcessors(List<LogitsProcessor> processors) {
        this.processors = processors;
    }

    static LogitsProcessors of(GenerationSettings settings) {
        List<LogitsProcessor> list = new ArrayList<>();
        if (settings.noRepeatNgramSize() > 0) {
            list.add(LogitsProcessor.noRepeatNgram(settings.noRepeatNgramSize()));
        }
        if (settings.minLength() > 0) {
            list.add(LogitsProcessor.minLength(settings.minLength(), settings.eosTokenId()));
        }
        if (settings.forcedBosTokenId() != null) {
            list.add(LogitsProcessor.forceAt(1, settings.forcedBosTokenId()));
        }
        if (settings.forcedEosTokenId() != null) {
            list.add(LogitsProcessor.forceAt(settings.effectiveMaxLength() - 1, settings.forcedEosTokenId()));
        }
        return new LogitsProcessors(List.copyOf(list));
    }

    /** Applies every processor to one row; returns whether any score changed. */
    boolean apply(int[] prefix, int length, float[] scores, int offset, int vocab) {
        boolean changed = false;
        for (LogitsProcessor p : processors) {
            changed |= p.process(prefix, length, scores, offset, vocab);
        }
        return changed;
    }
}
