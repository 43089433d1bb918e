package io.streamrag.eval;

import java.util.List;

/**
 * Retrieval quality over a set of questions with one right document each: recall at 1, 5 and 20 (the share of
 * questions whose document is among the first k distinct documents) and MRR@10 (the mean of 1 / rank of the right
 * document, 0 when it is not in the first 10).
 */
public final class RetrievalScores {

    private int questions;
    private int at1;
    private int at5;
    private int at20;
    private double reciprocalRanks;

    /** Adds one question: the distinct document ids retrieved, best first, and the right one. */
    public void add(List<String> rankedDocuments, String rightDocument) {
        questions++;
        int rank = rankedDocuments.indexOf(rightDocument) + 1; // 0: not retrieved
        if (rank == 0) {
            return;
        }
        at1 += rank <= 1 ? 1 : 0;
        at5 += rank <= 5 ? 1 : 0;
        at20 += rank <= 20 ? 1 : 0;
        reciprocalRanks += rank <= 10 ? 1.0 / rank : 0;
    }

    public int questions() {
        return questions;
    }

    public double recallAt1() {
        return share(at1);
    }

    public double recallAt5() {
        return share(at5);
    }

    public double recallAt20() {
        return share(at20);
    }

    public double mrrAt10() {
        return questions == 0 ? 0 : reciprocalRanks / questions;
    }

    private double share(int count) {
        return questions == 0 ? 0 : (double) count / questions;
    }
}
