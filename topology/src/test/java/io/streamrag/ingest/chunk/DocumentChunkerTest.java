package io.streamrag.ingest.chunk;

import io.streamrag.app.config.AppConfig;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.streamrag.ingest.BagOfWordsEmbedder;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Chunks measured with the real all-MiniLM-L6-v2 tokenizer. */
class DocumentChunkerTest {

    private static HuggingFaceTokenizer tokenizer;

    @BeforeAll
    static void loadTokenizer() {
        tokenizer = BagOfWordsEmbedder.minilmTokenizer();
    }

    @AfterAll
    static void closeTokenizer() {
        tokenizer.close();
    }

    private static int tokens(String text) {
        return TokenSpans.of(tokenizer, text).size();
    }

    private static String sentences(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            text.append("Sentence number ").append(i).append(" tells one small fact. ");
        }
        return text.toString().strip();
    }

    @Test
    void aLongDocumentIsCutIntoChunksWithinTheTokenBudgetAndNothingIsLost() {
        // 300 sentences: far beyond the tokenizer's own truncation at 128 tokens
        String body = sentences(300);
        List<Chunk> chunks = new DocumentChunker(tokenizer, 256, new ChunkingSettings(64, 0))
                .chunk("doc", null, body);

        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.tokenCount()).isLessThanOrEqualTo(64).isEqualTo(tokens(chunk.text()));
            assertThat(body).contains(chunk.text());
        });
        assertThat(chunks.stream().mapToInt(Chunk::tokenCount).sum()).as("without overlap the chunks partition the body")
                .isEqualTo(tokens(body));
        assertThat(chunks.get(chunks.size() - 1).text()).endsWith("Sentence number 300 tells one small fact.");
        assertThat(chunks).extracting(Chunk::index).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, chunks.size()).boxed().toList());
    }

    @Test
    void chunksEndAtSentenceBoundariesWhenSentencesAreShortEnough() {
        List<Chunk> chunks = new DocumentChunker(tokenizer, 256, new ChunkingSettings(40, 0))
                .chunk("doc", null, sentences(30));

        assertThat(chunks).hasSizeGreaterThan(3);
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.text()).startsWith("Sentence number ");
            assertThat(chunk.text()).endsWith("tells one small fact.");
        });
    }

    @Test
    void consecutiveChunksOverlapByWholeSentencesWithinTheOverlapBudget() {
        List<Chunk> chunks = new DocumentChunker(tokenizer, 256, new ChunkingSettings(40, 12))
                .chunk("doc", null, sentences(30));

        for (int i = 1; i < chunks.size(); i++) {
            String previous = chunks.get(i - 1).text();
            String current = chunks.get(i).text();
            String firstSentence = current.substring(0, current.indexOf('.') + 1);
            assertThat(previous).as("chunk %d repeats the last sentence of chunk %d", i, i - 1)
                    .endsWith(firstSentence);
            assertThat(tokens(firstSentence)).isLessThanOrEqualTo(12);
        }
    }

    @Test
    void aSentenceLongerThanAChunkIsCutBetweenWordsAndOneHugeWordBetweenTokens() {
        String words = "word ".repeat(100).strip();
        List<Chunk> wordChunks = new DocumentChunker(tokenizer, 256, new ChunkingSettings(16, 0))
                .chunk("doc", null, words);
        assertThat(wordChunks).allSatisfy(chunk -> {
            assertThat(chunk.tokenCount()).isLessThanOrEqualTo(16);
            assertThat(chunk.text()).matches("word( word)*");
        });

        // one word of many word pieces (WordPiece gives up on words over 100 characters: [UNK])
        String giant = "qxz".repeat(30);
        assertThat(tokens(giant)).isGreaterThan(32);
        List<Chunk> pieces = new DocumentChunker(tokenizer, 256, new ChunkingSettings(16, 4))
                .chunk("doc", null, giant);
        assertThat(pieces.size()).isGreaterThan(2);
        assertThat(pieces).allSatisfy(chunk -> assertThat(chunk.tokenCount()).isLessThanOrEqualTo(16));
        assertThat(pieces.get(0).text()).isEqualTo(giant.substring(0, pieces.get(0).text().length()));
        assertThat(giant).endsWith(pieces.get(pieces.size() - 1).text());
    }

    @Test
    void theTitleIsCarriedInFrontOfEveryChunkForEmbedding() {
        List<Chunk> chunks = new DocumentChunker(tokenizer, 256, new ChunkingSettings(40, 0))
                .chunk("doc", "Moon landing", sentences(10));

        assertThat(chunks).hasSizeGreaterThan(1).allSatisfy(chunk ->
                assertThat(chunk.embeddingText()).isEqualTo("Moon landing. " + chunk.text()));
        assertThat(new DocumentChunker(tokenizer, 256, new ChunkingSettings(40, 0))
                .chunk("doc", "Why?", "Because.").get(0).embeddingText()).isEqualTo("Why? Because.");
    }

    @Test
    void theBudgetShrinksSoTitleChunkAndSpecialTokensFitTheModelInput() {
        String title = "A rather long title that takes up a good number of tokens by itself";
        int maxModelTokens = 48;
        List<Chunk> chunks = new DocumentChunker(tokenizer, maxModelTokens, new ChunkingSettings(64, 0))
                .chunk("doc", title, sentences(20));

        assertThat(chunks).allSatisfy(chunk -> assertThat(tokenizer.encode(chunk.embeddingText(), true, true)
                .getIds().length).as("title + chunk + [CLS] + [SEP]").isLessThanOrEqualTo(maxModelTokens));
        // the title prefix is capped at a quarter of the model input
        assertThat(tokens(chunks.get(0).embeddingText().replace(chunks.get(0).text(), ""))).isLessThanOrEqualTo(13);
    }

    @Test
    void chunkIdsAreNameBasedUuidsOfDocumentAndIndexSoReplaysOverwrite() {
        DocumentChunker chunker = new DocumentChunker(tokenizer, 256, new ChunkingSettings(24, 0));
        List<Chunk> first = chunker.chunk("doc-7", null, sentences(10));
        List<Chunk> again = chunker.chunk("doc-7", null, sentences(10));
        List<Chunk> other = chunker.chunk("doc-8", null, sentences(10));

        assertThat(first).extracting(Chunk::chunkId).containsExactlyElementsOf(
                again.stream().map(Chunk::chunkId).toList()).doesNotHaveDuplicates();
        assertThat(first.get(0).chunkId()).isNotEqualTo(other.get(0).chunkId()).isEqualTo(ChunkIds.of("doc-7", 0));
        assertThat(UUID.fromString(first.get(0).chunkId()).version()).isEqualTo(5);
    }

    @Test
    void chunkIdsFollowRfc9562VersionFive() {
        // RFC 9562 appendix A.4: DNS namespace, name "www.example.com"
        UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        assertThat(ChunkIds.uuidV5(dns, "www.example.com"))
                .isEqualTo(UUID.fromString("2ed6657d-e927-568b-95e1-2665a8aea6a2"));
    }

    @Test
    void anEmptyBodyHasNoChunks() {
        DocumentChunker chunker = new DocumentChunker(tokenizer, 256, AppConfig.defaults().ingest().chunking());
        assertThat(chunker.chunk("doc", "Title", "")).isEmpty();
        assertThat(chunker.chunk("doc", "Title", "   ")).isEmpty();
        assertThat(chunker.chunk("doc", "Title", null)).isEmpty();
    }

    /** Thirty paragraphs of 2-7 sentences with varied words, the same for every run. */
    static List<String> paragraphs(int count, long seed) {
        String[] words = {"river", "volcano", "harbour", "senate", "engine", "library", "orchard", "comet", "treaty",
                "glacier", "market", "cathedral", "signal", "meadow", "bridge", "archive", "lantern", "canal"};
        java.util.Random random = new java.util.Random(seed);
        List<String> paragraphs = new java.util.ArrayList<>();
        for (int p = 0; p < count; p++) {
            StringBuilder paragraph = new StringBuilder();
            int sentences = 2 + random.nextInt(6);
            for (int s = 0; s < sentences; s++) {
                paragraph.append("The ").append(words[random.nextInt(words.length)]).append(" of paragraph ")
                        .append(p).append(" met the ").append(words[random.nextInt(words.length)]);
                for (int w = random.nextInt(8); w > 0; w--) {
                    paragraph.append(' ').append(words[random.nextInt(words.length)]);
                }
                paragraph.append(". ");
            }
            paragraphs.add(paragraph.toString().strip());
        }
        return paragraphs;
    }

    private static long survivors(List<Chunk> before, List<Chunk> after) {
        java.util.Set<String> texts = new java.util.HashSet<>(before.stream().map(Chunk::text).toList());
        return after.stream().map(Chunk::text).filter(texts::contains).count();
    }

    @Test
    void anEditInOneParagraphLeavesTheChunksOfTheOtherParagraphsAsTheyWere() {
        DocumentChunker chunker = new DocumentChunker(tokenizer, 256, new ChunkingSettings(128, 16));
        List<String> paragraphs = paragraphs(40, 7);
        List<Chunk> before = chunker.chunk("doc", "Title", String.join("\n\n", paragraphs));
        assertThat(before).hasSizeGreaterThanOrEqualTo(20);

        List<String> edited = new java.util.ArrayList<>(paragraphs);
        edited.set(7, edited.get(7).replace("The ", "One more ") + " A sentence was added here.");
        List<Chunk> afterEdit = chunker.chunk("doc", "Title", String.join("\n\n", edited));
        assertThat(survivors(before, afterEdit)).as("chunks kept after editing paragraph 7")
                .isGreaterThanOrEqualTo(afterEdit.size() - 3L);

        List<String> inserted = new java.util.ArrayList<>(paragraphs);
        inserted.add(0, "A new opening paragraph that was not there before. It pushes everything down.");
        List<Chunk> afterInsert = chunker.chunk("doc", "Title", String.join("\n\n", inserted));
        assertThat(survivors(before, afterInsert)).as("chunks kept after inserting a paragraph at the top")
                .isGreaterThanOrEqualTo(afterInsert.size() - 3L);
        // and the chunks behind the change are the same chunks, in the same order
        assertThat(afterInsert.get(afterInsert.size() - 1).text()).isEqualTo(before.get(before.size() - 1).text());
    }

    @Test
    void chunksEndAtSentenceBoundariesAndNeverCutAWord() {
        List<String> paragraphs = paragraphs(30, 11);
        String body = String.join("\n\n", paragraphs);
        List<Chunk> chunks = new DocumentChunker(tokenizer, 256, new ChunkingSettings(48, 0)).chunk("doc", null, body);
        assertThat(chunks).hasSizeGreaterThan(10).allSatisfy(chunk -> {
            assertThat(chunk.text()).startsWith("The ").endsWith(".");
            assertThat(chunk.tokenCount()).isLessThanOrEqualTo(48);
        });
    }

    @Test
    void headingsBecomeContextOfTheirSectionAndLeaveThePassages() {
        String body = "# Mount Etna\n\nMount Etna is an active stratovolcano on the east coast of Sicily.\n\n"
                + "## Eruptions\n\nEtna erupts frequently. Its lava flows have shaped the farmland.\n\n"
                + "Height\n\nIt is about 3,357 metres high.";
        List<Chunk> chunks = new DocumentChunker(tokenizer, 256, new ChunkingSettings(64, 0))
                .chunk("doc", "Mount Etna", body);

        assertThat(chunks).extracting(Chunk::text).containsExactly(
                "Mount Etna is an active stratovolcano on the east coast of Sicily.",
                "Etna erupts frequently. Its lava flows have shaped the farmland.",
                "It is about 3,357 metres high.");
        assertThat(chunks).extracting(Chunk::embeddingText).containsExactly(
                "Mount Etna. Mount Etna is an active stratovolcano on the east coast of Sicily.",
                "Mount Etna. Eruptions. Etna erupts frequently. Its lava flows have shaped the farmland.",
                "Mount Etna. Height. It is about 3,357 metres high.");
    }

    @Test
    void aShortLastParagraphOrAShortLineEndingInPunctuationIsText() {
        List<Chunk> chunks = new DocumentChunker(tokenizer, 256, new ChunkingSettings(64, 0))
                .chunk("doc", null, "Yes, indeed.\n\nThe answer follows.\n\nThe End");
        assertThat(chunks).extracting(Chunk::text).containsExactly("Yes, indeed.\n\nThe answer follows.\n\nThe End");
    }
}
