package io.streamrag.qa.freshness;

import io.streamrag.contracts.Answer;
import io.streamrag.contracts.AnswerStatus;
import io.streamrag.contracts.Question;
import io.streamrag.kafka.LingerTimer;
import io.streamrag.qa.AnswerAssembler;
import io.streamrag.qa.PendingQuestion;
import io.streamrag.qa.QuestionValidator;
import io.streamrag.qa.ReplyTargets;
import io.streamrag.qa.WallClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Read-your-writes in front of the question batcher: a question whose consistency token names versions the index
 * has not applied yet waits in a changelogged store (so a restart loses none) and goes on to the batcher once the
 * applied-versions global store, fed by the {@code IndexUpdate} topic, shows them all; past its deadline it is
 * answered TIMEOUT naming what is still missing. Waiting never blocks: other questions pass straight through, and
 * the waiting ones are re-checked by a wall-clock punctuation that is scheduled only while any wait. A re-check
 * looks at the waiting questions only when the global store recorded an update since the last one or a deadline
 * has come, so a question waiting for a slow write costs a counter read per re-check. Questions without a token,
 * or with a malformed one (the validator rejects it downstream), pass straight through.
 */
public final class FreshnessGate implements Processor<String, Question, String, SpecificRecord> {

    private final FreshnessStores stores;
    private final QuestionValidator validator;
    private final AnswerAssembler assembler;
    private final WallClock clock;
    private final Duration recheck;
    private final String questionsChild;
    private final String answersChild;
    private final String replyToHeader;
    private final ReplyTargets replyTargets;
    private final Function<String, Long> storedVersion;
    /** The parsed tokens of the waiting questions, by sequence number (rebuilt from the store after a restart). */
    private final Map<Long, ConsistencyToken> tokens = new HashMap<>();
    /** The global store's update count at the last full re-check; -1: none since start. */
    private long updatesSeen = -1;
    /** The earliest deadline among the waiting questions at the last full re-check. */
    private long earliestDeadline = Long.MIN_VALUE;

    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<Long, PendingQuestion> waiting;
    private AppliedVersions applied;
    private LingerTimer recheckTimer;
    private long nextSequence;

    public FreshnessGate(FreshnessStores stores, QuestionValidator validator, AnswerAssembler assembler,
                         WallClock clock, Duration recheck, String questionsChild, String answersChild,
                         String replyToHeader, ReplyTargets replyTargets, Function<String, Long> storedVersion) {
        this.stores = stores;
        this.validator = validator;
        this.assembler = assembler;
        this.clock = clock;
        this.recheck = recheck;
        this.questionsChild = questionsChild;
        this.answersChild = answersChild;
        this.replyToHeader = replyToHeader;
        this.replyTargets = replyTargets;
        this.storedVersion = storedVersion;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.waiting = context.getStateStore(stores.waitingStore());
        ReadOnlyKeyValueStore<String, io.streamrag.contracts.IndexUpdate> updates =
                context.getStateStore(stores.appliedStore());
        this.applied = stores.appliedVersions(updates, storedVersion);
        try (KeyValueIterator<Long, PendingQuestion> newest = waiting.reverseAll()) {
            nextSequence = newest.hasNext() ? newest.next().key + 1 : 0;
        }
        recheckTimer = new LingerTimer(context, recheck, timestamp -> releaseOrExpire());
        if (nextSequence > 0) { // questions restored from the changelog still wait
            recheckTimer.arm();
        }
    }

    @Override
    public void process(Record<String, Question> record) {
        Question question = record.value();
        Optional<ConsistencyToken> token = tokenOf(question);
        if (token.isEmpty() || token.get().missing(applied::version).isEmpty()) {
            context.forward(record, questionsChild);
            return;
        }
        Optional<RecordMetadata> source = context.recordMetadata();
        long sequence = nextSequence++;
        waiting.put(sequence, new PendingQuestion(question, record.key(), clock.nowMs(),
                source.map(RecordMetadata::topic).orElse(null), source.map(RecordMetadata::partition).orElse(-1),
                source.map(RecordMetadata::offset).orElse(-1L)));
        tokens.put(sequence, token.get());
        earliestDeadline = Math.min(earliestDeadline, validator.deadlineOf(question));
        recheckTimer.arm();
    }

    private void releaseOrExpire() {
        long now = clock.nowMs();
        long updates = stores.updatesRecorded().get();
        if (updates == updatesSeen && now <= earliestDeadline) {
            return; // nothing was applied since the last look and no deadline has come
        }
        updatesSeen = updates;
        earliestDeadline = Long.MAX_VALUE;
        boolean any = false;
        try (KeyValueIterator<Long, PendingQuestion> all = waiting.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                PendingQuestion pending = entry.value;
                ConsistencyToken token = tokens.computeIfAbsent(entry.key,
                        sequence -> tokenOf(pending.question()).orElseThrow());
                List<String> missing = token.missing(applied::version);
                long deadline = validator.deadlineOf(pending.question());
                if (missing.isEmpty()) {
                    context.forward(new Record<>(pending.key(), pending.question(), now), questionsChild);
                    forget(entry.key);
                } else if (now > deadline) {
                    publishTimeout(pending, missing, now);
                    forget(entry.key);
                } else {
                    any = true;
                    earliestDeadline = Math.min(earliestDeadline, deadline);
                }
            }
        }
        if (!any) {
            recheckTimer.disarm();
        }
    }

    private void forget(long sequence) {
        waiting.delete(sequence);
        tokens.remove(sequence);
    }

    private void publishTimeout(PendingQuestion pending, List<String> missing, long now) {
        Question question = pending.question();
        String error = "consistency token not applied by the deadline; still missing: " + String.join(", ", missing);
        long waited = now - pending.enqueuedAtMs();
        Answer timeout = assembler.answer(question, AnswerStatus.TIMEOUT, null, error, List.of(),
                AnswerAssembler.timings(waited, 0, 0, 0, waited), now);
        RecordHeaders headers = new RecordHeaders();
        // a reply target that is not allowed or does not exist must not stall or stop the answers sink: such a
        // TIMEOUT goes to the answers topic (the batch processor applies the same rule to the other answers)
        if (question.getReplyTo() != null && replyTargets.problemWith(question.getReplyTo()).isEmpty()) {
            headers.add(replyToHeader, question.getReplyTo().getBytes(StandardCharsets.UTF_8));
        }
        context.forward(new Record<String, SpecificRecord>(timeout.getQuestionId(), timeout, now, headers),
                answersChild);
    }

    static Optional<ConsistencyToken> tokenOf(Question question) {
        if (question == null || question.getConsistencyToken() == null
                || question.getConsistencyToken().isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ConsistencyToken.parse(question.getConsistencyToken()));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        // a task that goes away (rebalance, shutdown) leaves its stream thread no wake-up for a check that is gone
        if (recheckTimer != null) {
            recheckTimer.disarm();
        }
    }
}
