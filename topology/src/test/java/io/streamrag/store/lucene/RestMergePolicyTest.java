package io.streamrag.store.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestMergePolicyTest {

    @Test
    void smallSegmentsAreMergedWithoutTheLargestWhileTheyAddUpToLessThanHalfOfIt() {
        Map<String, Long> sizes = sizes("big", 1000L, "a", 200L, "b", 150L, "c", 100L);

        assertThat(RestMergePolicy.chooseRestMerge(sizes)).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void everythingIsMergedOnceTheSmallSegmentsReachHalfTheLargest() {
        Map<String, Long> sizes = sizes("big", 1000L, "a", 300L, "b", 200L);

        assertThat(RestMergePolicy.chooseRestMerge(sizes)).containsExactlyInAnyOrder("big", "a", "b");
    }

    @Test
    void aLargestAndOneSmallSegmentAreLeftAsTheyAre() {
        // merging one segment into nothing rewrites it for no gain: two segments is what rest allows
        assertThat(RestMergePolicy.chooseRestMerge(sizes("big", 1000L, "small", 10L))).isEmpty();
    }

    @Test
    void oneSegmentOrNoneNeedsNoMerge() {
        assertThat(RestMergePolicy.chooseRestMerge(sizes("only", 5L))).isEmpty();
        assertThat(RestMergePolicy.chooseRestMerge(Map.<String, Long>of())).isEmpty();
    }

    @Test
    void twoEqualSegmentsAreMergedIntoOne() {
        assertThat(RestMergePolicy.chooseRestMerge(sizes("x", 500L, "y", 500L))).containsExactlyInAnyOrder("x", "y");
    }

    private static Map<String, Long> sizes(Object... namesAndSizes) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (int i = 0; i < namesAndSizes.length; i += 2) {
            sizes.put((String) namesAndSizes[i], (Long) namesAndSizes[i + 1]);
        }
        return sizes;
    }
}
