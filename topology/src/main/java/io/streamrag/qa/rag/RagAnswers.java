package io.streamrag.qa.rag;

import io.streamrag.inference.rag.RagHypothesis;
import io.streamrag.qa.ComposedAnswer;
import java.util.ArrayList;
import java.util.List;

/** The answers a composer reports: per question the head of the decoder's n-best list, with its posterior. */
final class RagAnswers {

    private RagAnswers() {
    }

    static List<ComposedAnswer> best(List<List<RagHypothesis>> nBest, String mode) {
        List<ComposedAnswer> answers = new ArrayList<>(nBest.size());
        for (int q = 0; q < nBest.size(); q++) {
            if (nBest.get(q).isEmpty()) {
                throw new IllegalStateException(mode + " produced no hypothesis for question " + q);
            }
            RagHypothesis best = nBest.get(q).get(0);
            answers.add(new ComposedAnswer(best.sequence().text(), best.docPosterior()));
        }
        return answers;
    }
}
