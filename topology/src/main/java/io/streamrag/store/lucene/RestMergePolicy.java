package io.streamrag.store.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.FilterMergePolicy;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;

/**
 * Lucene's tiered merges while writes come; at rest (a forced merge, see {@link RestMerger}) the small segments are
 * merged into one, and together with the largest once they add up to half its size.
 *
 * <p>Why: an HNSW query walks one graph per segment, so a query over a tiered index of a million chunks walks a
 * dozen graphs. Merging everything into one segment at every rest would rebuild the largest graph after every
 * trickle of updates; merging only the small ones costs their own size, leaves at most two segments, and folds the
 * second into the largest when that is a balanced merge (so each chunk is re-inserted a logarithmic number of times).
 */
final class RestMergePolicy extends FilterMergePolicy {

    RestMergePolicy(MergePolicy whileWriting) {
        super(whileWriting);
    }

    @Override
    public MergeSpecification findForcedMerges(SegmentInfos infos, int maxSegmentCount,
                                               Map<SegmentCommitInfo, Boolean> segmentsToMerge,
                                               MergeContext context) throws IOException {
        Set<SegmentCommitInfo> merging = context.getMergingSegments();
        Map<SegmentCommitInfo, Long> sizes = new HashMap<>();
        for (SegmentCommitInfo info : infos) {
            if (segmentsToMerge.containsKey(info) && !merging.contains(info)) {
                sizes.put(info, size(info, context));
            }
        }
        List<SegmentCommitInfo> chosen = chooseRestMerge(sizes);
        if (chosen.isEmpty()) {
            return null;
        }
        MergeSpecification spec = new MergeSpecification();
        spec.add(new OneMerge(chosen));
        return spec;
    }

    /**
     * Which of the segments (each with its size without deleted documents) to merge into one at rest; empty for
     * none: all but the largest, or all once the others add up to half the largest.
     */
    static <S> List<S> chooseRestMerge(Map<S, Long> sizes) {
        if (sizes.size() < 2) {
            return List.of();
        }
        List<Map.Entry<S, Long>> bySize = new ArrayList<>(sizes.entrySet());
        bySize.sort(Map.Entry.<S, Long>comparingByValue().reversed());
        long largest = bySize.get(0).getValue();
        long rest = bySize.stream().skip(1).mapToLong(Map.Entry::getValue).sum();
        List<Map.Entry<S, Long>> chosen = 2 * rest >= largest ? bySize : bySize.subList(1, bySize.size());
        return chosen.size() < 2 ? List.of() : chosen.stream().map(Map.Entry::getKey).toList();
    }
}
