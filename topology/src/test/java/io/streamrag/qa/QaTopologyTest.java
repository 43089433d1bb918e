package io.streamrag.qa;

import static io.streamrag.qa.testing.QaTestBed.question;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.streamrag.contracts.Answer;
import io.streamrag.contracts.AnswerStatus;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.RetrievedDocument;
import io.streamrag.inference.generate.GeneratedSequence;
import io.streamrag.qa.testing.MiniLmTokenizer;
import io.streamrag.qa.testing.QaTestBed;
import io.streamrag.qa.testing.ScriptedGenerator;
import io.streamrag.store.SearchRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class QaTopologyTest {

    private static final Duration LINGER = Duration.ofMillis(5);

    private static QaTestBed extractive() {
        return new QaTestBed(QaTestBed.settings(), null);
    }

    private static void paris(QaTestBed bed, String tenant) {
        bed.passage("france", "France", "Paris is the capital of France. France borders Spain.", tenant);
        bed.passage("norway", "Norway", "Oslo is the capital of Norway. Norway has fjords.", tenant);
        bed.passage("rivers", "Rivers", "The Danube flows through Vienna. The Seine flows through Paris.", tenant);
    }

    @Test
    void emptyQuestionIsAnsweredInvalidAndDeadLettered() {
        try (QaTestBed bed = extractive()) {
            bed.ask(question("q-empty", "   ").build());

            Answer answer = bed.answers().get(0);
            assertThat(answer.getQuestionId()).isEqualTo("q-empty");
            assertThat(answer.getStatus()).isEqualTo(AnswerStatus.INVALID);
            assertThat(answer.getError()).isEqualTo("question text is empty");
            assertThat(answer.getText()).isNull();
            assertThat(answer.getModels().getMode()).isEqualTo("extractive");

            DeadLetter dead = bed.deadLetters().get(0);
            assertThat(dead.getStage()).isEqualTo("validate");
            assertThat(dead.getDocumentId()).isEqualTo("q-empty");
            assertThat(dead.getErrorMessage()).isEqualTo("question text is empty");
            assertThat(dead.getTopic()).isEqualTo("questions");
            assertThat(dead.getOffset()).isZero();
            assertThat(StandardCharsets.UTF_8.decode(dead.getKey()).toString()).isEqualTo("q-empty");
            assertThat(dead.getValue().remaining()).isPositive();
            assertThat(bed.embedder.calls()).isEmpty();
        }
    }

    @Test
    void overLongTextAndTopKOutOfBoundsAreInvalid() {
        QaSettings settings = QaTestBed.settings().withMaxQuestionChars(20).withRetrieval(3, 10, 0.0);
        try (QaTestBed bed = new QaTestBed(settings, null)) {
            bed.ask(question("long", "x".repeat(21)).build());
            bed.ask(question("k-zero", "capital of France").setTopK(0).build());
            bed.ask(question("k-big", "capital of France").setTopK(11).build());
            bed.ask(question("k-max", "capital of France").setTopK(10).build());
            bed.advance(LINGER);

            Map<String, Answer> byId = byId(bed.answers());
            assertThat(byId.get("long").getStatus()).isEqualTo(AnswerStatus.INVALID);
            assertThat(byId.get("long").getError()).isEqualTo("question text has 21 characters, the limit is 20");
            assertThat(byId.get("k-zero").getError()).isEqualTo("top-k 0 is outside [1, 10]");
            assertThat(byId.get("k-big").getError()).isEqualTo("top-k 11 is outside [1, 10]");
            assertThat(byId.get("k-max").getStatus()).isNotEqualTo(AnswerStatus.INVALID);
            assertThat(bed.deadLetters()).extracting(DeadLetter::getDocumentId)
                    .containsExactly("long", "k-zero", "k-big");
        }
    }

    @Test
    void questionsWaitForThePunctuationAndAreEmbeddedInOneCall() {
        try (QaTestBed bed = extractive()) {
            paris(bed, null);
            bed.ask(question("q1", "What is the capital of France?").build());
            bed.ask(question("q2", "What is the capital of Norway?").build());
            bed.ask(question("q3", "Which river flows through Vienna?").build());

            assertThat(bed.answers()).as("nothing is answered before the linger elapses").isEmpty();
            assertThat(bed.embedder.calls()).isEmpty();

            bed.advance(LINGER);

            assertThat(bed.answers()).extracting(Answer::getQuestionId).containsExactly("q1", "q2", "q3");
            assertThat(bed.embedder.calls().get(0)).as("the first embed call is the whole batch of questions")
                    .containsExactly("What is the capital of France?", "What is the capital of Norway?",
                            "Which river flows through Vienna?");
            assertThat(bed.store.searchCalls()).hasSize(1);
            assertThat(bed.store.searchCalls().get(0)).hasSize(3);
        }
    }

    @Test
    void aPunctuationLeavesQuestionsYoungerThanTheLingerWaiting() {
        try (QaTestBed bed = extractive()) {
            paris(bed, null);
            bed.ask(question("q1", "capital of France").build());
            bed.advance(Duration.ofMillis(3));
            assertThat(bed.answers()).as("q1 has waited 3 of 5 ms").isEmpty();

            bed.ask(question("q2", "capital of Norway").build());
            bed.advance(Duration.ofMillis(2));

            assertThat(bed.answers()).extracting(Answer::getQuestionId).containsExactly("q1", "q2");
            assertThat(bed.embedder.calls().get(0)).as("both questions in one batch")
                    .containsExactly("capital of France", "capital of Norway");
        }
    }

    @Test
    void aFullBatchIsAnsweredWithoutWaitingForThePunctuation() {
        QaSettings settings = QaTestBed.settings().withBatching(2, Duration.ofSeconds(10));
        try (QaTestBed bed = new QaTestBed(settings, null)) {
            paris(bed, null);
            bed.ask(question("q1", "capital of France").build());
            assertThat(bed.answers()).isEmpty();
            bed.ask(question("q2", "capital of Norway").build());

            assertThat(bed.answers()).extracting(Answer::getQuestionId).containsExactly("q1", "q2");
            assertThat(bed.store.searchCalls()).hasSize(1);
        }
    }

    @Test
    void aQuestionOnlySeesItsOwnTenantsPassages() {
        try (QaTestBed bed = extractive()) {
            bed.passage("acme-paris", "Acme", "Paris is the capital of France.", "acme");
            bed.passage("globex-paris", "Globex", "Paris is the capital of France, said Globex.", "globex");
            bed.passage("public-paris", "Public", "Paris is the capital of France.", null);
            bed.ask(question("q-acme", "capital of France").setTenant("acme").build());
            bed.ask(question("q-none", "capital of France").build());
            bed.advance(LINGER);

            Map<String, Answer> byId = byId(bed.answers());
            assertThat(byId.get("q-acme").getDocuments()).extracting(RetrievedDocument::getDocumentId)
                    .containsExactly("acme-paris");
            assertThat(byId.get("q-none").getDocuments()).extracting(RetrievedDocument::getDocumentId)
                    .containsExactly("public-paris");
            assertThat(bed.store.searchCalls().get(0)).extracting(SearchRequest::tenant)
                    .containsExactly("acme", null);
        }
    }

    @Test
    void metadataFiltersTravelToTheStoreQuery() {
        try (QaTestBed bed = extractive()) {
            bed.passage("en", "France", "Paris is the capital of France.", null, Map.of("lang", "en"));
            bed.passage("fr", "France", "Paris est la capitale de la France.", null, Map.of("lang", "fr"));
            bed.ask(question("q", "capital France Paris").setFilters(Map.of("lang", "fr")).build());
            bed.advance(LINGER);

            assertThat(bed.answers().get(0).getDocuments()).extracting(RetrievedDocument::getDocumentId)
                    .containsExactly("fr");
        }
    }

    @Test
    void noPassageAboveTheThresholdIsNoContext() {
        QaSettings settings = QaTestBed.settings().withRetrieval(5, 50, 0.5);
        try (QaTestBed bed = new QaTestBed(settings, null)) {
            paris(bed, null);
            bed.ask(question("q-off-topic", "quantum chromodynamics gluon").build());
            bed.advance(LINGER);

            Answer answer = bed.answers().get(0);
            assertThat(answer.getStatus()).isEqualTo(AnswerStatus.NO_CONTEXT);
            assertThat(answer.getDocuments()).isEmpty();
            assertThat(answer.getText()).isNull();
            // the threshold gates the question on its best passage; the store is asked without a per-passage minimum
            assertThat(bed.store.searchCalls().get(0).get(0).scoreThreshold()).isEqualTo(QuestionAnswerer.NO_MINIMUM);
            assertThat(bed.store.searchCalls().get(0)).hasSize(1);
        }
    }

    @Test
    void aQuestionHasContextWhenItsBestPassageReachesTheThresholdAndKeepsItsWeakerPassages() {
        var chunk = new io.streamrag.store.StoredChunk("c", "d", 0, 1L, "t", "text", null, Map.of(),
                new float[] {1f});
        List<io.streamrag.store.SearchHit> hits = List.of(new io.streamrag.store.SearchHit(chunk, 0.2),
                new io.streamrag.store.SearchHit(chunk, 0.45));
        assertThat(QuestionAnswerer.hasContext(hits, 0.3)).isTrue();
        assertThat(QuestionAnswerer.hasContext(hits, 0.45)).isTrue();
        assertThat(QuestionAnswerer.hasContext(hits, 0.5)).isFalse();
        assertThat(QuestionAnswerer.hasContext(List.of(), 0.0)).isFalse();
    }

    @Test
    void aQuestionPastItsDeadlineTimesOutWithItsDocuments() {
        QaSettings settings = QaTestBed.settings().withBatching(8, Duration.ofMillis(200));
        try (QaTestBed bed = new QaTestBed(settings, null)) {
            paris(bed, null);
            bed.ask(question("late", "capital of France").setDeadlineMs(50L).build());
            bed.ask(question("patient", "capital of Norway").setDeadlineMs(10_000L).build());
            bed.advance(Duration.ofMillis(200));

            Map<String, Answer> byId = byId(bed.answers());
            Answer late = byId.get("late");
            assertThat(late.getStatus()).isEqualTo(AnswerStatus.TIMEOUT);
            assertThat(late.getText()).isNull();
            assertThat(late.getDocuments()).isNotEmpty();
            assertThat(late.getDocuments().get(0).getDocumentId()).isEqualTo("france");
            assertThat(late.getError()).startsWith("deadline passed");
            assertThat(late.getTimings().getQueueMs()).isGreaterThanOrEqualTo(200);
            assertThat(byId.get("patient").getStatus()).isEqualTo(AnswerStatus.OK);
        }
    }

    @Test
    void theConfiguredDefaultDeadlineAppliesWhenTheQuestionGivesNone() {
        QaSettings settings = QaTestBed.settings().withBatching(8, Duration.ofMillis(100))
                .withDefaultDeadline(Duration.ofMillis(30));
        try (QaTestBed bed = new QaTestBed(settings, null)) {
            paris(bed, null);
            bed.ask(question("q", "capital of France").build());
            bed.advance(Duration.ofMillis(100));

            assertThat(bed.answers().get(0).getStatus()).isEqualTo(AnswerStatus.TIMEOUT);
        }
    }

    @Test
    void aFailingQuestionIsIsolatedFromItsBatch() {
        try (QaTestBed bed = extractive()) {
            paris(bed, null);
            bed.embedder.failOn(text -> text.contains("poison"));
            bed.ask(question("good", "capital of France").build());
            bed.ask(question("bad", "poison question").build());
            bed.advance(LINGER);

            Map<String, Answer> byId = byId(bed.answers());
            assertThat(byId.get("good").getStatus()).isEqualTo(AnswerStatus.OK);
            assertThat(byId.get("bad").getStatus()).isEqualTo(AnswerStatus.ERROR);
            assertThat(byId.get("bad").getError()).startsWith("embed failed: embedding refused");
            DeadLetter dead = bed.deadLetters().get(0);
            assertThat(dead.getDocumentId()).isEqualTo("bad");
            assertThat(dead.getStage()).isEqualTo("embed");
            assertThat(dead.getErrorClass()).isEqualTo(IllegalStateException.class.getName());
            assertThat(dead.getOffset()).isEqualTo(1);
        }
    }

    @Test
    void replyToSendsTheAnswerToTheClientsTopic() {
        try (QaTestBed bed = new QaTestBed(QaTestBed.settings().withReplyTopics(List.of("client-*")), null)) {
            paris(bed, null);
            bed.ask(question("q", "capital of France").setReplyTo("client-7-answers").build());
            bed.advance(LINGER);

            assertThat(bed.answers()).isEmpty();
            assertThat(bed.answersTopic("client-7-answers").readValuesToList())
                    .extracting(Answer::getQuestionId).containsExactly("q");
        }
    }

    @Test
    void byDefaultTopicsNamedAfterTheAnswersTopicAreAllowedAndNothingElse() {
        try (QaTestBed bed = extractive()) {
            paris(bed, null);
            bed.ask(question("mine", "capital of France").setReplyTo("answers.team-7").build());
            bed.ask(question("foreign", "capital of France").setReplyTo("payments").build());
            bed.ask(question("broken", "capital of France").setReplyTo("bad topic!").build());
            bed.advance(LINGER);

            assertThat(bed.answersTopic("answers.team-7").readValuesToList())
                    .extracting(Answer::getQuestionId).containsExactly("mine");
            assertThat(bed.answersTopic("payments").readValuesToList()).isEmpty();
            Map<String, Answer> onAnswers = byId(bed.answers());
            assertThat(onAnswers).containsOnlyKeys("foreign", "broken");
            assertThat(onAnswers.get("foreign").getStatus()).isEqualTo(AnswerStatus.INVALID);
            assertThat(onAnswers.get("foreign").getError())
                    .isEqualTo("replyTo 'payments' is not an allowed reply topic (allowed: answers*)");
            assertThat(onAnswers.get("broken").getStatus()).isEqualTo(AnswerStatus.INVALID);
            assertThat(onAnswers.get("broken").getError()).startsWith("replyTo is not a valid topic name");
            assertThat(bed.deadLetters()).extracting(DeadLetter::getDocumentId)
                    .containsExactlyInAnyOrder("foreign", "broken");
        }
    }

    @Test
    void aMissingReplyTopicGetsAnInvalidAnswerAndADeadLetterWithoutDelayingOtherQuestions() {
        Set<String> existing = new java.util.HashSet<>(Set.of("answers-a"));
        try (QaTestBed bed = new QaTestBed(QaTestBed.settings(), null, existing::contains)) {
            paris(bed, null);
            bed.ask(question("gone", "capital of France").setReplyTo("answers-b").build());
            bed.ask(question("fine", "capital of Norway").setReplyTo("answers-a").build());
            bed.ask(question("plain", "capital of Norway").build());
            bed.advance(LINGER);

            assertThat(bed.answersTopic("answers-a").readValuesToList())
                    .extracting(Answer::getQuestionId).containsExactly("fine");
            Map<String, Answer> onAnswers = byId(bed.answers());
            assertThat(onAnswers).containsOnlyKeys("gone", "plain");
            assertThat(onAnswers.get("gone").getStatus()).isEqualTo(AnswerStatus.INVALID);
            assertThat(onAnswers.get("gone").getError()).isEqualTo("reply topic 'answers-b' does not exist");
            assertThat(onAnswers.get("plain").getStatus()).isEqualTo(AnswerStatus.OK);
            assertThat(bed.deadLetters()).singleElement().satisfies(dead -> {
                assertThat(dead.getDocumentId()).isEqualTo("gone");
                assertThat(dead.getStage()).isEqualTo("validate");
            });
        }
    }

    @Test
    void aReplyTopicDeletedWhileTheQuestionWaitedGetsTheAnswerOnTheAnswersTopicAndADeadLetter() {
        Set<String> existing = new java.util.HashSet<>(Set.of("answers-a"));
        QaSettings settings = QaTestBed.settings().withBatching(8, Duration.ofSeconds(10));
        try (QaTestBed bed = new QaTestBed(settings, null, existing::contains)) {
            paris(bed, null);
            bed.ask(question("q", "capital of France").setReplyTo("answers-a").build());
            existing.clear();
            bed.advance(Duration.ofSeconds(10));

            assertThat(bed.answersTopic("answers-a").readValuesToList()).isEmpty();
            assertThat(bed.answers()).singleElement().satisfies(answer -> {
                assertThat(answer.getQuestionId()).isEqualTo("q");
                assertThat(answer.getStatus()).isEqualTo(AnswerStatus.OK);
            });
            assertThat(bed.deadLetters()).singleElement().satisfies(dead -> {
                assertThat(dead.getStage()).isEqualTo("reply");
                assertThat(dead.getErrorMessage()).isEqualTo("reply topic 'answers-a' does not exist; answered on "
                        + "answers instead");
            });
        }
    }

    @Test
    void extractiveAnswersGiveTheBestSentenceWithScoresWeightsAndPosteriors() {
        try (QaTestBed bed = extractive()) {
            paris(bed, null);
            bed.ask(question("q", "capital of Norway").setCorrelationId("c-1").build());
            bed.advance(LINGER);

            Answer answer = bed.answers().get(0);
            assertThat(answer.getStatus()).isEqualTo(AnswerStatus.OK);
            assertThat(answer.getText()).isEqualTo("Oslo is the capital of Norway.");
            assertThat(answer.getCorrelationId()).isEqualTo("c-1");
            assertThat(answer.getModels().getGenerator()).isEqualTo("extractive");
            assertThat(answer.getModels().getEmbedder()).isEqualTo("bag-of-words-256");
            List<RetrievedDocument> documents = answer.getDocuments();
            assertThat(documents.get(0).getDocumentId()).isEqualTo("norway");
            assertThat(documents.get(0).getChunkId()).isEqualTo("norway#0");
            assertThat(documents.get(0).getTitle()).isEqualTo("Norway");
            assertThat(documents).extracting(RetrievedDocument::getScore).isSortedAccordingTo((a, b) -> b.compareTo(a));
            assertThat(documents.stream().mapToDouble(RetrievedDocument::getWeight).sum()).isCloseTo(1.0,
                    offset(1e-9));
            assertThat(documents.get(0).getPosterior()).isEqualTo(1.0);
            assertThat(documents.subList(1, documents.size())).allMatch(d -> d.getPosterior() == 0.0);
        }
    }

    @Test
    void replayingAQuestionGivesTheSameAnswer() {
        try (QaTestBed bed = extractive()) {
            paris(bed, null);
            bed.ask(question("q", "Which river flows through Paris?").build());
            bed.advance(LINGER);
            bed.ask(question("q", "Which river flows through Paris?").build());
            bed.advance(LINGER);

            List<Answer> answers = bed.answers();
            assertThat(answers).hasSize(2);
            assertThat(answers.get(1).getText()).isEqualTo(answers.get(0).getText())
                    .isEqualTo("The Seine flows through Paris.");
            assertThat(answers.get(1).getDocuments()).isEqualTo(answers.get(0).getDocuments());
        }
    }

    @Test
    void ragSequenceFeedsEachPassageWithTheQuestionToTheGenerator() {
        ScriptedGenerator generator = new ScriptedGenerator(null, 512, null);
        QaSettings settings = QaTestBed.settings().withRetrieval(2, 10, 0.0).withGeneration(1, null, null);
        String france = "France / Paris is the capital of France. // Where is Paris?";
        String rivers = "Rivers / The Seine flows through Paris. // Where is Paris?";
        generator.hypotheses(france, new GeneratedSequence(new int[] {11, 2}, " France", -0.1, -0.1))
                .hypotheses(rivers, new GeneratedSequence(new int[] {12, 2}, " Seine", -0.2, -0.2))
                .logLikelihood(france, new int[] {11, 2}, Math.log(0.9))
                .logLikelihood(france, new int[] {12, 2}, Math.log(0.05))
                .logLikelihood(rivers, new int[] {11, 2}, Math.log(0.3))
                .logLikelihood(rivers, new int[] {12, 2}, Math.log(0.6));
        try (QaTestBed bed = new QaTestBed(settings, generator)) {
            bed.passage("france", "France", "Paris is the capital of France.", null);
            bed.passage("rivers", "Rivers", "The Seine flows through Paris.", null);
            bed.ask(question("q", "Where is Paris?").build());
            bed.advance(LINGER);

            Answer answer = bed.answers().get(0);
            assertThat(generator.generateCalls()).as("one input per passage, in retrieval order")
                    .containsExactly(List.of(rivers, france));
            assertThat(answer.getStatus()).isEqualTo(AnswerStatus.OK);
            assertThat(answer.getText()).isEqualTo(" France");
            assertThat(answer.getModels().getMode()).isEqualTo("rag-sequence");
            assertThat(answer.getModels().getGenerator()).isEqualTo("scripted-generator");
            RetrievedDocument riversDoc = answer.getDocuments().get(0);
            RetrievedDocument franceDoc = answer.getDocuments().get(1);
            assertThat(riversDoc.getDocumentId()).isEqualTo("rivers");
            double marginal = riversDoc.getWeight() * 0.3 + franceDoc.getWeight() * 0.9;
            assertThat(riversDoc.getPosterior())
                    .isCloseTo(riversDoc.getWeight() * 0.3 / marginal, offset(1e-9));
            assertThat(franceDoc.getPosterior())
                    .isCloseTo(franceDoc.getWeight() * 0.9 / marginal, offset(1e-9));
        }
    }

    @Test
    void concatPacksTheQuestionAndPassagesIntoOneInputAndScoresTheAnswerUnderEachPassageForItsPosterior() {
        HuggingFaceTokenizer tokenizer = MiniLmTokenizer.load();
        ScriptedGenerator generator = new ScriptedGenerator(tokenizer, 120, null);
        QaSettings settings = QaTestBed.settings().withMode(QaSettings.GenerationMode.CONCAT)
                .withRetrieval(2, 10, 0.0);
        String input = "Where is Paris? // Rivers / The Seine flows through Paris. // France / Paris is the capital"
                + " of France.";
        int[] answerIds = {5, 2};
        generator.hypotheses(input, new GeneratedSequence(answerIds, " on the Seine", -0.3, -0.3));
        generator.logLikelihood("France / Paris is the capital of France. // Where is Paris?", answerIds, -3.0);
        generator.logLikelihood("Rivers / The Seine flows through Paris. // Where is Paris?", answerIds, -0.5);
        try (tokenizer; QaTestBed bed = new QaTestBed(settings, generator)) {
            bed.passage("france", "France", "Paris is the capital of France.", null);
            bed.passage("rivers", "Rivers", "The Seine flows through Paris.", null);
            bed.ask(question("q", "Where is Paris?").build());
            bed.advance(LINGER);

            Answer answer = bed.answers().get(0);
            assertThat(generator.generateCalls()).containsExactly(List.of(input));
            assertThat(answer.getText()).isEqualTo(" on the Seine");
            assertThat(answer.getModels().getMode()).isEqualTo("concat");
            assertThat(answer.getDocuments()).hasSize(2);
            // p(d|x,y) = p(d|x) p(y|x,d) / sum over d, with p(y|x,d) scripted per passage above
            Map<String, Double> logLikelihood = Map.of("france", -3.0, "rivers", -0.5);
            double normaliser = answer.getDocuments().stream()
                    .mapToDouble(d -> d.getWeight() * Math.exp(logLikelihood.get(d.getDocumentId()))).sum();
            for (var document : answer.getDocuments()) {
                double expected = document.getWeight() * Math.exp(logLikelihood.get(document.getDocumentId()))
                        / normaliser;
                assertThat(document.getPosterior()).as(document.getDocumentId()).isCloseTo(expected, within(1e-9));
            }
            assertThat(answer.getDocuments()).filteredOn(d -> d.getDocumentId().equals("rivers"))
                    .allMatch(d -> d.getPosterior() > 0.8);
        }
    }

    @Test
    void metricsCountAnswersByStatus() {
        try (QaTestBed bed = extractive()) {
            paris(bed, null);
            bed.ask(question("ok", "capital of France").build());
            bed.ask(question("bad", "").build());
            bed.advance(LINGER);

            assertThat(bed.registry.get("streamrag.qa.answers").tag("status", "OK").counter().count()).isEqualTo(1);
            assertThat(bed.registry.get("streamrag.qa.answers").tag("status", "INVALID").counter().count())
                    .isEqualTo(1);
            assertThat(bed.registry.get("streamrag.qa.stage").tag("stage", "total").timer().count()).isEqualTo(1);
        }
    }

    private static Map<String, Answer> byId(List<Answer> answers) {
        return answers.stream().collect(Collectors.toMap(Answer::getQuestionId, a -> a));
    }
}
