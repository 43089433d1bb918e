package io.streamrag.ingest.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.streamrag.ingest.BagOfWordsEmbedder;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Passages are the body's own text in every script: the tokenizer counts code points, Java strings UTF-16 units, and
 * the tokenizer drops characters (combining marks) that a passage must still quote.
 */
class ChunkTextFidelityTest {

    private static HuggingFaceTokenizer tokenizer;

    @BeforeAll
    static void loadTokenizer() {
        tokenizer = BagOfWordsEmbedder.minilmTokenizer();
    }

    @AfterAll
    static void closeTokenizer() {
        tokenizer.close();
    }

    private static List<Chunk> chunk(String body, int chunkTokens) {
        return new DocumentChunker(tokenizer, 256, new ChunkingSettings(chunkTokens, 0)).chunk("doc", null, body);
    }

    /** Without overlap the passages, in order, are the body with only whitespace between them left out. */
    private static void assertPassagesAreTheBody(String body, List<Chunk> chunks) {
        assertThat(chunks).isNotEmpty().allSatisfy(chunk -> {
            assertThat(body).contains(chunk.text());
            assertThat(Character.isLowSurrogate(chunk.text().charAt(0))).as("starts inside a surrogate pair: %s",
                    chunk.text()).isFalse();
            assertThat(Character.isHighSurrogate(chunk.text().charAt(chunk.text().length() - 1)))
                    .as("ends inside a surrogate pair: %s", chunk.text()).isFalse();
            assertThat(chunk.tokenCount()).isEqualTo(TokenSpans.of(tokenizer, chunk.text()).size());
        });
        String joined = chunks.stream().map(Chunk::text).collect(Collectors.joining());
        assertThat(withoutWhitespace(joined)).isEqualTo(withoutWhitespace(body));
    }

    private static String withoutWhitespace(String text) {
        return text.replaceAll("\\s+", "");
    }

    private static String repeat(int count, String template) {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            text.append(template.replace("#", Integer.toString(i))).append(' ');
        }
        return text.toString().strip();
    }

    @Test
    void textAfterEmojiIsKeptWhole() {
        String body = "😀😀😀 " + repeat(40, "Sentence number # tells one small fact.");
        List<Chunk> chunks = chunk(body, 40);
        assertPassagesAreTheBody(body, chunks);
        assertThat(chunks.get(0).text()).startsWith("😀😀😀 Sentence number 1 ");
        assertThat(chunks.get(chunks.size() - 1).text()).endsWith("Sentence number 40 tells one small fact.");
    }

    @Test
    void surrogatePairsAtChunkBoundariesStayWhole() {
        // every sentence starts and ends with a character outside the BMP, so chunk boundaries fall next to them
        String body = repeat(60, "🎉 Party # with 𝐀lgebra and emoji 👍🏽 ends here 🚀.");
        List<Chunk> chunks = chunk(body, 24);
        assertThat(chunks).hasSizeGreaterThan(5);
        assertPassagesAreTheBody(body, chunks);
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.text()).startsWith("🎉").endsWith("🚀."));
    }

    @Test
    void combiningMarksStayWithTheirLetter() {
        String body = repeat(50, "The cafe\u0301 number # serves cre\u0300me bru\u0302le\u0301e");
        List<Chunk> chunks = chunk(body, 20);
        assertThat(chunks).hasSizeGreaterThan(5);
        assertPassagesAreTheBody(body, chunks);
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.text()).doesNotStartWith("\u0301"));
    }

    @Test
    void cjkTextIsCutAtItsFullStops() {
        String body = repeat(80, "東京は日本の首都で、人口は多いです。");
        List<Chunk> chunks = chunk(body, 32);
        assertThat(chunks).hasSizeGreaterThan(5);
        assertPassagesAreTheBody(body, chunks);
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.text()).startsWith("東京").endsWith("。"));
    }

    @Test
    void rightToLeftTextIsKeptWhole() {
        String body = repeat(60, "שלום עולם, זה משפט מספר # בעברית. مرحبا بالعالم هذه جملة.");
        List<Chunk> chunks = chunk(body, 30);
        assertThat(chunks).hasSizeGreaterThan(5);
        assertPassagesAreTheBody(body, chunks);
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.text()).endsWith("."));
    }

    @Test
    void randomTextInAnyScriptIsChunkedIntoPiecesOfItself() {
        java.util.Random random = new java.util.Random(20261202);
        int[][] ranges = {{0x20, 0x7e}, {0x300, 0x36f}, {0x590, 0x5ff}, {0x600, 0x6ff}, {0x3040, 0x30ff},
                {0x4e00, 0x4fff}, {0x1f300, 0x1f6ff}, {0x1d400, 0x1d4ff}, {0xd800, 0xdfff}};
        for (int round = 0; round < 100; round++) {
            StringBuilder body = new StringBuilder();
            int length = 1 + random.nextInt(400);
            for (int i = 0; i < length; i++) {
                int[] range = ranges[random.nextInt(ranges.length)];
                int codePoint = range[0] + random.nextInt(range[1] - range[0] + 1);
                if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
                    body.append((char) codePoint); // a lone surrogate: malformed, but a String can hold it
                } else {
                    body.appendCodePoint(codePoint);
                }
                if (random.nextInt(6) == 0) {
                    body.append(random.nextInt(10) == 0 ? "\n\n" : random.nextBoolean() ? ". " : " ");
                }
            }
            String text = body.toString();
            List<Chunk> chunks = chunk(text, 16);
            String joined = chunks.stream().map(Chunk::text).collect(Collectors.joining());
            assertThat(chunks).allSatisfy(chunk -> {
                assertThat(text).contains(chunk.text());
                assertThat(chunk.tokenCount()).isBetween(1, 16);
            });
            assertThat(withoutWhitespace(joined).length()).as("round %d: %s", round, text)
                    .isLessThanOrEqualTo(withoutWhitespace(text).length());
        }
    }
}
