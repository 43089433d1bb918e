package io.streamrag.inference.embed;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Varied inputs for the golden tests: empty, short, long past 512 tokens, non-Latin scripts, symbols and code. */
final class GoldenSentences {
    /** The last texts of {@link #all()} are longer than 512 tokens. */
    static final int LONG_COUNT = 3;

    private GoldenSentences() {
    }

    static List<String> all() {
        List<String> s = new ArrayList<>(List.of(
                "",
                " ",
                "a",
                "Who won the world series in 2020?",
                "The Los Angeles Dodgers won the 2020 World Series.",
                "Kafka Streams processes records one at a time with exactly-once semantics.",
                "Qdrant stores dense vectors and filters on payload fields.",
                "The quick brown fox jumps over the lazy dog.",
                "PostgreSQL logical decoding emits inserts, updates and deletes.",
                "What is the capital of France?",
                "Paris is the capital and most populous city of France.",
                "I love pizza.",
                "Do you like pizza?",
                "The stock market fell sharply on Monday after the announcement.",
                "Photosynthesis converts light energy into chemical energy.",
                "BERT uses a bidirectional transformer encoder.",
                "This sentence has     irregular   spacing\tand\ttabs.",
                "ALL CAPS SENTENCE WITH SHOUTING!!!",
                "mixed CaSe WoRdS are lowercased by the tokenizer",
                "Numbers: 3.14159, 2.71828, 1,000,000 and -42.",
                "Email me at someone@example.com or visit https://example.org/path?q=1.",
                "int main() { return 0; } // C code in a sentence",
                "SELECT id, title FROM documents WHERE updated_at > now() - interval '1 day';",
                "{\"json\": [1, 2, 3], \"nested\": {\"key\": \"value\"}}",
                "Emoji are not in the vocabulary 🙂🚀🔥",
                "Ünïcödé àccents gêt strîpped or kept: naïve café façade",
                "Größenwahn und Straßenbahn sind deutsche Wörter.",
                "El rápido zorro marrón salta sobre el perro perezoso.",
                "Le renard brun rapide saute par-dessus le chien paresseux.",
                "Быстрая коричневая лиса прыгает через ленивую собаку.",
                "Γρήγορη καφέ αλεπού πηδά πάνω από τον τεμπέλη σκύλο.",
                "敏捷的棕色狐狸跳过了懒狗。",
                "素早い茶色の狐がのろまな犬を飛び越える。",
                "빠른 갈색 여우가 게으른 개를 뛰어넘는다.",
                "الثعلب البني السريع يقفز فوق الكلب الكسول.",
                "השועל החום המהיר קופץ מעל הכלב העצלן.",
                "तेज़ भूरी लोमड़ी आलसी कुत्ते के ऊपर कूदती है।",
                "สุนัขจิ้งจอกสีน้ำตาลกระโดดข้ามสุนัขขี้เกียจ",
                "Hızlı kahverengi tilki tembel köpeğin üzerinden atlar.",
                "Tiếng Việt có nhiều dấu thanh.",
                "?!.,;:'\"()[]{}<>@#$%^&*_+=|\\/~`",
                "the the the the the the the the the the",
                "antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
                "A question about retrieval-augmented generation with BART.",
                "Embeddings map text to points where similar meanings lie close together.",
                "Tokens beyond the maximum length are truncated, not rejected.",
                "Line one.\nLine two.\nLine three.",
                "x",
                "Short.",
                "Another short one."));
        StringBuilder longText = new StringBuilder();
        for (int i = 0; longText.length() < 6000; i++) {
            longText.append("Sentence number ").append(i).append(" of a very long passage about streaming data. ");
        }
        s.add(longText.toString());
        StringBuilder longCjk = new StringBuilder();
        for (int i = 0; i < 700; i++) {
            longCjk.append("数据流");
        }
        s.add(longCjk.toString());
        StringBuilder justOver = new StringBuilder();
        for (int i = 0; i < 520; i++) {
            justOver.append("word ");
        }
        s.add(justOver.toString());
        return s;
    }

    /**
     * Indexes of {@link #all()} in batches of similar length, as the batching worker forms them: every batch still
     * has padding, and the texts past 512 tokens go together so the short ones are not padded to 512.
     */
    static List<List<Integer>> similarLengthBatches() {
        List<String> texts = all();
        List<Integer> order = IntStream.range(0, texts.size()).boxed()
                .sorted(Comparator.comparingInt(i -> texts.get(i).length())).collect(Collectors.toList());
        List<List<Integer>> batches = new ArrayList<>();
        int longFrom = order.size() - LONG_COUNT;
        for (int from = 0; from < longFrom; from += 9) {
            batches.add(order.subList(from, Math.min(longFrom, from + 9)));
        }
        batches.add(order.subList(longFrom, order.size()));
        return batches;
    }
}
