package io.streamrag.qa;

import io.streamrag.contracts.Answer;
import io.streamrag.contracts.AnswerStatus;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.Question;
import io.streamrag.kafka.LingerTimer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import io.micrometer.core.instrument.Counter;
import io.streamrag.kafka.RedoCounter;
import io.streamrag.kafka.deadletter.FailureCause;
import io.streamrag.kafka.deadletter.FailureLedger;
import io.streamrag.kafka.deadletter.RecordRetryException;
import io.streamrag.kafka.WorkBudget;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Validates questions and answers them in micro-batches. Valid questions wait in a changelogged buffer (so a crash
 * loses none) keyed by an arrival sequence number; the buffer is answered when it holds {@code batchMaxSize}
 * questions or when its oldest question has waited {@code batchLinger} (checked by a wall-clock punctuation). The age
 * rule matters under load: Streams may process one record per loop iteration before punctuating, and a punctuation
 * that answered whatever was there would make batches of one. Invalid questions are answered INVALID
 * at once and dead-lettered. A failing batch is retried question by question so one bad question cannot fail the
 * others; a question that still fails is answered ERROR and dead-lettered. Every question gets an answer.
 *
 * <p>A question's {@code replyTo} is followed only when {@link ReplyTargets} allows it (checked on arrival and again
 * before the answer is sent, since topics can be deleted meanwhile); otherwise the answer goes to the answers topic,
 * INVALID on arrival, and a dead letter says why. A batch holds at most {@code batchMaxSize} questions and at most
 * the {@link WorkBudget}'s tokens, so one batch's inference fits well inside the transaction that carries it.
 */
final class QuestionBatchProcessor implements Processor<String, Question, String, SpecificRecord> {

    /** Header carrying a question's replyTo topic to the answers sink. */
    static final String REPLY_TO_HEADER = "streamrag.reply-to";

    private final QaSettings settings;
    private final QuestionValidator validator;
    private final QuestionAnswerer answerer;
    private final QaMetrics metrics;
    private final WallClock clock;
    private final Serializer<Question> questionSerializer;
    private final String bufferStoreName;
    private final String answersSink;
    private final String deadLetterSink;
    private final ReplyTargets replyTargets;
    private final WorkBudget budget;
    private final RedoCounter redo;
    private final FailureLedger ledger;
    private final Counter quarantined;

    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<Long, PendingQuestion> buffer;
    private long nextSequence;
    private LingerTimer lingerTimer;

    QuestionBatchProcessor(QaSettings settings, QuestionAnswerer answerer, QaMetrics metrics, WallClock clock,
                           Serializer<Question> questionSerializer, String bufferStoreName, String answersSink,
                           String deadLetterSink, ReplyTargets replyTargets, WorkBudget budget, RedoCounter redo,
                           FailureLedger ledger, Counter quarantined) {
        this.ledger = ledger;
        this.quarantined = quarantined;
        this.replyTargets = replyTargets;
        this.budget = budget;
        this.redo = redo;
        this.settings = settings;
        this.clock = clock;
        this.validator = new QuestionValidator(settings);
        this.answerer = answerer;
        this.metrics = metrics;
        this.questionSerializer = questionSerializer;
        this.bufferStoreName = bufferStoreName;
        this.answersSink = answersSink;
        this.deadLetterSink = deadLetterSink;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.buffer = context.getStateStore(bufferStoreName);
        try (KeyValueIterator<Long, PendingQuestion> newest = buffer.reverseAll()) {
            nextSequence = newest.hasNext() ? newest.next().key + 1 : 0;
        }
        Duration check = settings.batchLinger().dividedBy(2);
        // scheduled only while questions wait: an idle punctuation costs an empty transaction per commit interval
        lingerTimer = new LingerTimer(context, check.isZero() ? Duration.ofMillis(1) : check,
                timestamp -> drainIfOldestWaitedLongEnough());
        if (nextSequence > 0) { // questions restored from the changelog still wait
            lingerTimer.arm();
        }
    }

    @Override
    public void process(Record<String, Question> record) {
        Question question = record.value();
        Optional<RecordMetadata> source = context.recordMetadata();
        String topic = source.map(RecordMetadata::topic).orElse(settings.questionsTopic());
        int partition = source.map(RecordMetadata::partition).orElse(-1);
        long offset = source.map(RecordMetadata::offset).orElse(-1L);
        long now = clock.nowMs();

        if (question == null) {
            context.forward(new Record<>(record.key(), deadLetter(topic, partition, offset, record.key(), null,
                    "validate", "InvalidQuestion", "question is null (tombstone)", now), now), deadLetterSink);
            return;
        }
        Optional<String> problem = validator.problemWith(question)
                .or(() -> replyTargets.problemWith(question.getReplyTo()));
        if (problem.isPresent()) {
            Answer invalid = answerer.assembler().answer(question, AnswerStatus.INVALID, null,
                    problem.get(), List.of(), AnswerAssembler.timings(0, 0, 0, 0, 0), now);
            publish(invalid, null);
            context.forward(new Record<>(record.key(), deadLetter(topic, partition, offset, record.key(), question,
                    "validate", "InvalidQuestion", problem.get(), now), now), deadLetterSink);
            return;
        }
        buffer.put(nextSequence++, new PendingQuestion(question, record.key(), now, topic, partition, offset));
        lingerTimer.arm();
        if (buffer.approximateNumEntries() >= settings.batchMaxSize()) {
            drain();
        }
    }

    private void drainIfOldestWaitedLongEnough() {
        PendingQuestion oldest;
        try (KeyValueIterator<Long, PendingQuestion> waiting = buffer.all()) {
            if (!waiting.hasNext()) {
                lingerTimer.disarm();
                return;
            }
            oldest = waiting.next().value;
        }
        if (clock.nowMs() - oldest.enqueuedAtMs() >= settings.batchLinger().toMillis()) {
            drain();
        }
    }

    /** Answers everything waiting, in arrival order, batchMaxSize at a time. */
    /**
     * Answers waiting questions in arrival order, batchMaxSize at a time, until the work budget of this call is spent
     * (the first batch always goes); the rest waits for the next punctuation, after Streams has had a chance to
     * commit, so no transaction carries more inference than the budget.
     */
    private void drain() {
        long allowance = budget.allowance();
        long spent = 0;
        while (spent < allowance) {
            List<KeyValue<Long, PendingQuestion>> batch = nextBatch(allowance - spent);
            if (batch.isEmpty()) {
                lingerTimer.disarm();
                return;
            }
            List<PendingQuestion> questions = batch.stream().map(entry -> entry.value).toList();
            metrics.batch(questions.size());
            long started = System.nanoTime();
            List<AnsweredQuestion> answers = answerIsolatingFailures(questions);
            long tokens = questions.stream().mapToLong(this::tokens).sum();
            budget.record(tokens, Duration.ofNanos(System.nanoTime() - started));
            spent += tokens;
            for (AnsweredQuestion answered : answers) {
                PendingQuestion pending = answered.pending();
                redo.completed(pending.topic() + "-" + pending.partition() + "@" + pending.offset());
                Optional<String> replyProblem = replyTargets.problemWith(pending.question().getReplyTo());
                publish(answered.answer(), replyProblem.isEmpty() ? pending.question().getReplyTo() : null);
                if (replyProblem.isPresent()) {
                    context.forward(new Record<>(pending.key(), deadLetter(pending.topic(), pending.partition(),
                            pending.offset(), pending.key(), pending.question(), "reply", "InvalidReplyTopic",
                            replyProblem.get() + "; answered on " + settings.answersTopic() + " instead",
                            clock.nowMs()), clock.nowMs()), deadLetterSink);
                }
                if (answered.failure() != null) {
                    Throwable cause = answered.failure().getCause() != null
                            ? answered.failure().getCause() : answered.failure();
                    context.forward(new Record<>(pending.key(), deadLetter(pending.topic(), pending.partition(),
                            pending.offset(), pending.key(), pending.question(), answered.failure().stage(),
                            cause.getClass().getName(), answered.failure().getMessage(), clock.nowMs()),
                            clock.nowMs()), deadLetterSink);
                }
            }
            for (KeyValue<Long, PendingQuestion> entry : batch) {
                buffer.delete(entry.key);
            }
        }
    }

    /** The oldest questions, at most batchMaxSize of them and no more than {@code allowance} tokens (at least one). */
    private List<KeyValue<Long, PendingQuestion>> nextBatch(long allowance) {
        List<KeyValue<Long, PendingQuestion>> batch = new ArrayList<>();
        try (KeyValueIterator<Long, PendingQuestion> waiting = buffer.all()) {
            while (waiting.hasNext() && batch.size() < settings.batchMaxSize()) {
                batch.add(waiting.next());
            }
        }
        return batch.subList(0, WorkBudget.fitting(batch, entry -> tokens(entry.value), allowance));
    }

    /**
     * The work a question makes, in tokens: its own (about four characters each) plus top-k retrieved passages of
     * {@code passageTokens}, which every answering mode reads.
     */
    private long tokens(PendingQuestion pending) {
        Question question = pending.question();
        long own = question.getText() == null ? 1 : question.getText().length() / 4 + 2;
        return own + (long) validator.topKOf(question) * settings.passageTokens();
    }

    private record AnsweredQuestion(PendingQuestion pending, Answer answer, StageFailure failure) {
    }

    private List<AnsweredQuestion> answerIsolatingFailures(List<PendingQuestion> questions) {
        try {
            List<Answer> answers = answerer.answer(questions, clock);
            List<AnsweredQuestion> answered = new ArrayList<>(questions.size());
            for (int i = 0; i < questions.size(); i++) {
                answered.add(new AnsweredQuestion(questions.get(i), answers.get(i), null));
            }
            return answered;
        } catch (RuntimeException | Error batchFailure) {
            if (FailureCause.isInfrastructure(batchFailure)) {
                if (batchFailure instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) batchFailure;
            }
            if (questions.size() == 1 && batchFailure instanceof Error error) {
                return List.of(quarantineOrRetry(questions.get(0), error));
            }
            StageFailure failure = asStageFailure((RuntimeException) batchFailure);
            if (questions.size() == 1) {
                return List.of(new AnsweredQuestion(questions.get(0),
                        answerer.failed(questions.get(0), failure, clock), failure));
            }
            List<AnsweredQuestion> answered = new ArrayList<>(questions.size());
            for (PendingQuestion question : questions) {
                answered.addAll(answerIsolatingFailures(List.of(question)));
            }
            return answered;
        }
    }

    /**
     * A question whose answering threw an {@link Error} (a stack overflow, a native crash surfacing as one): it is not
     * answered ERROR at once, as the JVM may have been at fault; the failure is counted in the ledger and the stream
     * thread replaced, until the question has failed the configured number of times, when it is answered ERROR and
     * dead-lettered. The count survives the restarts in between; without it the question, kept in the buffer's
     * changelog, would stop the role again after every restart.
     */
    private AnsweredQuestion quarantineOrRetry(PendingQuestion pending, Error error) {
        String record = pending.topic() + "-" + pending.partition() + "@" + pending.offset();
        int failures = ledger.failed(record);
        if (failures < ledger.attempts()) {
            throw new RecordRetryException("question " + pending.question().getQuestionId() + " at " + record
                    + " failed (" + failures + " of " + ledger.attempts() + " attempts before quarantine)", error);
        }
        ledger.settled(record);
        quarantined.increment();
        StageFailure failure = new StageFailure("quarantine", "failed " + failures + " times, last with " + error,
                error);
        return new AnsweredQuestion(pending, answerer.failed(pending, failure, clock), failure);
    }

    private static StageFailure asStageFailure(RuntimeException e) {
        return e instanceof StageFailure stageFailure
                ? stageFailure : new StageFailure("answer", String.valueOf(e.getMessage()), e);
    }

    /** @param replyTo the checked reply topic, or null for the answers topic */
    private void publish(Answer answer, String replyTo) {
        RecordHeaders headers = new RecordHeaders();
        if (replyTo != null) {
            headers.add(REPLY_TO_HEADER, replyTo.getBytes(StandardCharsets.UTF_8));
        }
        long timestamp = answer.getAnsweredAt().toEpochMilli();
        context.forward(new Record<String, SpecificRecord>(answer.getQuestionId(), answer, timestamp, headers),
                answersSink);
        metrics.answered(answer);
    }

    private DeadLetter deadLetter(String topic, int partition, long offset, String key, Question question,
                                  String stage, String errorClass, String errorMessage, long now) {
        return DeadLetter.newBuilder()
                .setTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setKey(key == null ? null : ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)))
                .setValue(question == null ? null
                        : ByteBuffer.wrap(questionSerializer.serialize(topic, question)))
                .setStage(stage)
                .setDocumentId(question == null ? key : question.getQuestionId())
                .setErrorClass(errorClass)
                .setErrorMessage(errorMessage)
                .setFailedAt(Instant.ofEpochMilli(now))
                .build();
    }

    @Override
    public void close() {
        // a task that goes away (rebalance, shutdown) leaves its stream thread no wake-up for a check that is gone
        if (lingerTimer != null) {
            lingerTimer.disarm();
        }
    }
}
