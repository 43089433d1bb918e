package io.streamrag.qa.freshness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsistencyTokenTest {

    @Test
    void printsAndParsesPerDocumentVersionsWithAwkwardIdsEncoded() {
        ConsistencyToken token = ConsistencyToken.of("orders/42,a@b", 7).with("doc 1", 3);

        assertThat(token.toString()).isEqualTo("doc+1@3,orders%2F42%2Ca%40b@7");
        assertThat(ConsistencyToken.parse(token.toString())).isEqualTo(token);
        assertThat(ConsistencyToken.parse(token.toString()).versions())
                .containsExactly(Map.entry("doc 1", 3L), Map.entry("orders/42,a@b", 7L));
    }

    @Test
    void theLaterVersionOfADocumentWins() {
        assertThat(ConsistencyToken.parse("a@5,a@3").merge(ConsistencyToken.of("a", 4)).with("b", 1).toString())
                .isEqualTo("a@5,b@1");
    }

    @Test
    void missingListsEntriesNotYetAppliedWithWhatIs() {
        ConsistencyToken token = ConsistencyToken.parse("a@5,b@2,c@1");
        Map<String, Long> applied = Map.of("a", 6L, "b", 1L);

        assertThat(token.missing(applied::get)).containsExactly("b@2 (applied: 1)", "c@1 (applied: none)");
        assertThat(ConsistencyToken.parse("a@6").missing(applied::get)).isEmpty();
    }

    @Test
    void malformedTokensSayWhichEntry() {
        assertThatThrownBy(() -> ConsistencyToken.parse("a@1,b")).hasMessage(
                "consistency token entry 'b' is not documentId@version");
        assertThatThrownBy(() -> ConsistencyToken.parse(" ")).hasMessage("consistency token is empty");
    }
}
