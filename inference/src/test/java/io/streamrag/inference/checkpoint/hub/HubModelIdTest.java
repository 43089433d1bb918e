package io.streamrag.inference.checkpoint.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HubModelIdTest {

    @Test
    void parsesRepositoryAndRevision() {
        HubModelId plain = HubModelId.parse("hf://sentence-transformers/all-MiniLM-L6-v2");
        HubModelId tagged = HubModelId.parse("hf://facebook/bart-base@v1.0");
        String hash = "0123456789abcdef0123456789abcdef01234567";
        HubModelId pinned = HubModelId.parse("hf://facebook/bart-base@" + hash);

        assertThat(plain.repoId()).isEqualTo("sentence-transformers/all-MiniLM-L6-v2");
        assertThat(plain.revision()).isEqualTo("main");
        assertThat(plain.cacheFolderName()).isEqualTo("models--sentence-transformers--all-MiniLM-L6-v2");
        assertThat(tagged.revision()).isEqualTo("v1.0");
        assertThat(tagged.isPinnedToCommit()).isFalse();
        assertThat(pinned.isPinnedToCommit()).isTrue();
        assertThat(HubModelId.parse("hf://gpt2").cacheFolderName()).isEqualTo("models--gpt2");
    }

    @Test
    void refusesNamesThatAreNotRepositories() {
        assertThatThrownBy(() -> HubModelId.parse("facebook/bart-base"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hf://");
        assertThatThrownBy(() -> HubModelId.parse("hf://a/b/c"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a/b/c");
        assertThatThrownBy(() -> HubModelId.parse("hf://../etc"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HubModelId.parse("hf://org/name@../../x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cachePathsStayInsideTheRepositoryFolder() {
        HubCache cache = new HubCache(Path.of("/cache"), HubModelId.parse("hf://org/name"));

        assertThat(cache.snapshotFile("abc", "1_Pooling/config.json"))
                .isEqualTo(Path.of("/cache/models--org--name/snapshots/abc/1_Pooling/config.json"));
        assertThatThrownBy(() -> cache.snapshotFile("abc", "../../../escape"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.blob("../x")).isInstanceOf(IllegalArgumentException.class);
    }
}
