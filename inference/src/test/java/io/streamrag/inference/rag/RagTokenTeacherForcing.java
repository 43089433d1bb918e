package io.streamrag.inference.rag;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.streamrag.inference.bart.BartDecoderState;
import io.streamrag.inference.bart.BartModel;
import io.streamrag.inference.generate.TeacherForcedBatch;
import java.util.List;

/**
 * Teacher-forced RAG-Token scores of one target per question in one encoder and one decoder call (Hugging Face's
 * {@code forward(..., do_marginalize=True)} logits gathered at the targets), the reference the tests hold
 * generation to. Test code: production never scores a given RAG-Token answer.
 */
final class RagTokenTeacherForcing {

    private RagTokenTeacherForcing() {
    }

    /** With the model's own decoder start token. */
    static TeacherForcedScores score(BartModel model, List<RetrievedContext> contexts, List<int[]> targets) {
        return score(model, contexts, targets, model.config().decoderStartTokenId());
    }

    /** @param targets ids without the decoder start token, one per question */
    static TeacherForcedScores score(BartModel model, List<RetrievedContext> contexts, List<int[]> targets,
            int decoderStartTokenId) {
        if (contexts.size() != targets.size()) {
            throw new IllegalArgumentException(contexts.size() + " questions but " + targets.size() + " targets");
        }
        int questions = contexts.size();
        int k = contexts.get(0).documents();
        TeacherForcedBatch batch = TeacherForcedBatch.of(targets, decoderStartTokenId, model.config().padTokenId());
        int width = batch.width();
        int[][] inputs = new int[questions * k][];
        int[][] decoderInputs = new int[questions * k][];
        float[][] scores = new float[questions][];
        for (int q = 0; q < questions; q++) {
            RetrievedContext c = contexts.get(q);
            if (c.documents() != k) {
                throw new IllegalArgumentException("all questions need " + k + " documents; question " + q + " has "
                        + c.documents());
            }
            scores[q] = c.docScores();
            for (int d = 0; d < k; d++) {
                inputs[q * k + d] = c.inputIds().get(d);
                decoderInputs[q * k + d] = batch.decoderInputs()[q];
            }
        }
        long[] picks = batch.gatherIndex();
        try (BartDecoderState state = model.encode(inputs); NDManager scope = model.manager().newSubManager()) {
            int vocab = model.config().vocabSize();
            NDArray docLogProbs = model.decode(state, decoderInputs, scope).logSoftmax(2)
                    .reshape(questions, k, width, vocab);
            NDArray prior = DocumentMixture.logPrior(scores, scope);
            NDArray marginal = DocumentMixture.marginalize(docLogProbs, prior);
            float[] tokenValues = marginal.gather(scope.create(picks, new Shape(questions, width, 1)), 2)
                    .toFloatArray();
            long[] docPicks = new long[questions * k * width];
            for (int i = 0; i < docPicks.length; i++) {
                docPicks[i] = picks[(i / (k * width)) * width + i % width];
            }
            float[] docValues = docLogProbs.gather(scope.create(docPicks, new Shape(questions, k, width, 1)), 3)
                    .toFloatArray();
            double[][] tokenLogProbs = new double[questions][];
            double[][] docLogLikelihoods = new double[questions][k];
            for (int q = 0; q < questions; q++) {
                int n = targets.get(q).length;
                tokenLogProbs[q] = new double[n];
                for (int i = 0; i < n; i++) {
                    tokenLogProbs[q][i] = tokenValues[q * width + i];
                }
                for (int d = 0; d < k; d++) {
                    docLogLikelihoods[q][d] = batch.sumOver(docValues, q * k + d, q);
                }
            }
            return new TeacherForcedScores(tokenLogProbs, docLogLikelihoods);
        }
    }
}
