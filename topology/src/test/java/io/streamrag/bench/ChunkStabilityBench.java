package io.streamrag.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.streamrag.ingest.BagOfWordsEmbedder;
import io.streamrag.ingest.chunk.Chunk;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.ingest.chunk.DocumentChunker;
import io.streamrag.qa.SquadSample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How many chunks keep their exact text (hence could keep their vectors) when a long document is edited locally.
 * Documents: the SQuAD articles of the shared subset, one document per article, paragraphs separated by blank lines.
 * Edits: every paragraph in turn gets one sentence reworded; and a new paragraph is inserted at the top. For each
 * edit: chunks of the new version whose text existed in the old version ("kept") and the others ("to embed").
 * Not a test: prints a Markdown table.
 *
 * <pre>
 * java ... io.streamrag.bench.ChunkStabilityBench [chunkTokens overlapTokens]...   (default: 256 32 128 32)
 * </pre>
 */
public final class ChunkStabilityBench {

    private static final int MAX_MODEL_TOKENS = 256;

    public static void main(String[] args) throws Exception {
        List<int[]> settings = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            settings.add(new int[] {Integer.parseInt(args[i]), Integer.parseInt(args[i + 1])});
        }
        if (settings.isEmpty()) {
            settings = List.of(new int[] {256, 32}, new int[] {128, 32});
        }
        Map<String, List<String>> articles = new LinkedHashMap<>();
        for (SquadSample.Paragraph paragraph : SquadSample.load().paragraphs()) {
            articles.computeIfAbsent(paragraph.title(), title -> new ArrayList<>()).add(paragraph.text());
        }
        System.out.println("| chunker | chunk / overlap tokens | edit | edits | chunks per document (mean) | "
                + "chunks kept (mean) | chunks to embed (mean, max) |");
        System.out.println("|---|---|---|---:|---:|---:|---:|");
        try (HuggingFaceTokenizer tokenizer = BagOfWordsEmbedder.minilmTokenizer()) {
            for (int[] setting : settings) {
                DocumentChunker chunker = new DocumentChunker(tokenizer, MAX_MODEL_TOKENS,
                        new ChunkingSettings(setting[0], setting[1]));
                Tally paragraphEdits = new Tally();
                Tally insertions = new Tally();
                for (Map.Entry<String, List<String>> article : articles.entrySet()) {
                    List<String> paragraphs = article.getValue();
                    List<Chunk> before = chunker.chunk("doc", article.getKey(), String.join("\n\n", paragraphs));
                    for (int p = 0; p < paragraphs.size(); p++) {
                        List<String> edited = new ArrayList<>(paragraphs);
                        edited.set(p, reword(edited.get(p)));
                        paragraphEdits.add(before, chunker.chunk("doc", article.getKey(), String.join("\n\n", edited)));
                    }
                    List<String> inserted = new ArrayList<>(paragraphs);
                    inserted.add(0, "This article was revised. A new opening paragraph now comes before the rest, "
                            + "and everything that followed it moved down by one paragraph.");
                    insertions.add(before, chunker.chunk("doc", article.getKey(), String.join("\n\n", inserted)));
                }
                String label = setting[0] + " / " + setting[1];
                System.out.println(paragraphEdits.row(label, "one paragraph reworded"));
                System.out.println(insertions.row(label, "paragraph inserted at the top"));
            }
        }
    }

    /** Rewords the paragraph's second sentence (its first when it has one), keeping its length about the same. */
    private static String reword(String paragraph) {
        int firstStop = paragraph.indexOf(". ");
        int at = firstStop > 0 ? firstStop + 2 : 0;
        return paragraph.substring(0, at) + "In other words, " + paragraph.substring(at);
    }

    private static final class Tally {
        private long edits;
        private long kept;
        private long toEmbed;
        private long maxToEmbed;
        private long chunks;

        void add(List<Chunk> before, List<Chunk> after) {
            Set<String> old = new HashSet<>();
            before.forEach(chunk -> old.add(chunk.embeddingText()));
            long keptHere = after.stream().filter(chunk -> old.contains(chunk.embeddingText())).count();
            edits++;
            chunks += after.size();
            kept += keptHere;
            toEmbed += after.size() - keptHere;
            maxToEmbed = Math.max(maxToEmbed, after.size() - keptHere);
        }

        String row(String label, String edit) {
            return String.format(Locale.ROOT, "| %s | %s | %s | %d | %.1f | %.1f | %.2f, %d |",
                    System.getProperty("bench.label", "this build"), label, edit, edits, (double) chunks / edits,
                    (double) kept / edits, (double) toEmbed / edits, maxToEmbed);
        }
    }
}
