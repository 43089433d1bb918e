package io.streamrag.qa;

/**
 * The answer text a composer made for one question.
 *
 * @param text the answer
 * @param posteriors p(d|x,y) per retrieved passage in retrieval order, or null where the mode does not compute it
 */
public record ComposedAnswer(String text, double[] posteriors) {
}
