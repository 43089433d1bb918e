package io.streamrag.ingest.chunk;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the chunks of one section start and end, as token ranges. Boundaries are content-defined, so that an edit
 * moves only the chunks around it:
 * <ol>
 *   <li>the section is cut into blocks: a paragraph that fits the budget is one block; a longer one is cut into its
 *       sentences, and a sentence longer than the budget into runs of whole words (one enormous word: runs of
 *       tokens);</li>
 *   <li>blocks are packed into a chunk in order while they fit the budget; once the chunk is at least half full it
 *       ends after the first <em>anchor</em> block: a block whose own text hashes to an even number (paragraphs) or
 *       to a multiple of four (sentences and pieces). Whether a block is an anchor depends on its text alone, not on
 *       where the chunk started, so after an edit (or a paragraph inserted above) the packing falls back into the same
 *       cuts at the first anchor both packings pass: the chunks after it keep their exact text.</li>
 * </ol>
 * A chunk that ends inside a paragraph is followed by one that repeats its last sentences (at most the overlap
 * budget; failing whole sentences, its last words), so a passage cut mid-paragraph keeps its lead-in. Chunks never
 * overlap across a paragraph boundary.
 */
final class ChunkBoundaries {

    private record Block(int from, int to, boolean endsParagraph, boolean anchor) {
        int size() {
            return to - from;
        }
    }

    private ChunkBoundaries() {
    }

    /** The chunk ranges {@code [from, to)} of the section's paragraphs, in order. */
    static List<int[]> of(TokenSpans tokens, List<int[]> paragraphs, int budget, int overlap) {
        List<Block> blocks = blocks(tokens, paragraphs, budget);
        List<int[]> chunks = new ArrayList<>();
        int minFill = Math.max(1, budget / 2);
        int i = 0;
        int[] previous = null;
        while (i < blocks.size()) {
            Block first = blocks.get(i);
            int start = first.from();
            if (previous != null && overlap > 0 && !blocks.get(i - 1).endsParagraph()) {
                start = overlapStart(tokens, previous, first.to(), budget, overlap);
            }
            int j = i;
            while (j + 1 < blocks.size()) {
                Block current = blocks.get(j);
                Block next = blocks.get(j + 1);
                if (next.to() - start > budget || current.to() - start >= minFill && current.anchor()) {
                    break;
                }
                j++;
            }
            previous = new int[] {start, blocks.get(j).to()};
            chunks.add(previous);
            i = j + 1;
        }
        return chunks;
    }

    private static List<Block> blocks(TokenSpans tokens, List<int[]> paragraphs, int budget) {
        List<Block> blocks = new ArrayList<>();
        for (int[] paragraph : paragraphs) {
            if (paragraph[1] - paragraph[0] <= budget) {
                blocks.add(block(tokens, paragraph[0], paragraph[1], true));
                continue;
            }
            int sentenceStart = paragraph[0];
            for (int token = paragraph[0] + 1; token <= paragraph[1]; token++) {
                if (token == paragraph[1] || tokens.startsSentence(token)) {
                    addSentence(tokens, sentenceStart, token, budget, token == paragraph[1], blocks);
                    sentenceStart = token;
                }
            }
        }
        return blocks;
    }

    private static void addSentence(TokenSpans tokens, int from, int to, int budget, boolean endsParagraph,
                                    List<Block> blocks) {
        int start = from;
        while (to - start > budget) {
            int end = start + budget;
            while (end > start + 1 && !tokens.startsWord(end)) {
                end--;
            }
            if (end == start + 1 && !tokens.startsWord(end)) {
                end = start + budget; // one word longer than the budget: cut between its tokens
            }
            blocks.add(block(tokens, start, end, false));
            start = end;
        }
        blocks.add(block(tokens, start, to, endsParagraph));
    }

    private static Block block(TokenSpans tokens, int from, int to, boolean endsParagraph) {
        int hash = mix(tokens.slice(from, to).hashCode());
        return new Block(from, to, endsParagraph, endsParagraph ? (hash & 1) == 0 : (hash & 3) == 0);
    }

    /** A 32-bit finaliser (MurmurHash3's fmix32), so that the low bits depend on every character of the text. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    /**
     * The earliest sentence start within the last {@code overlap} tokens of the previous chunk that still lets the
     * next block fit; failing that the earliest word start; failing that no overlap.
     */
    private static int overlapStart(TokenSpans tokens, int[] previous, int firstBlockEnd, int budget, int overlap) {
        int from = Math.max(previous[0] + 1, previous[1] - overlap);
        for (int start = from; start < previous[1]; start++) {
            if (tokens.startsSentence(start) && firstBlockEnd - start <= budget) {
                return start;
            }
        }
        for (int start = from; start < previous[1]; start++) {
            if (tokens.startsWord(start) && firstBlockEnd - start <= budget) {
                return start;
            }
        }
        return previous[1];
    }
}
