package io.streamrag.qa.rerank;

import java.util.List;

/** Scores passages for a question, higher is more relevant (a cross-encoder: one batch of pairs per call). */
@FunctionalInterface
public interface PassageScorer {

    double[] score(String question, List<String> passages);
}
