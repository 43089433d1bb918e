package io.streamrag.inference.checkpoint.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrag.inference.checkpoint.ModelLocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubModelResolverTest {
    private static final HubSettings.RetryPolicy FAST_RETRY =
            new HubSettings.RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(4));

    @TempDir
    Path cacheDir;

    private FakeHub hub;
    private byte[] weights;
    private Map<String, byte[]> files;

    @BeforeEach
    void startHub() throws IOException {
        hub = new FakeHub();
        weights = randomBytes(300_000, 7);
        files = new LinkedHashMap<>();
        files.put("config.json", utf8("{\"model_type\":\"bert\",\"hidden_size\":8}"));
        files.put("tokenizer.json", utf8("{\"version\":\"1.0\",\"model\":{\"type\":\"WordPiece\"}}"));
        files.put("tokenizer_config.json", utf8("{\"do_lower_case\":true}"));
        files.put("modules.json", utf8("[{\"idx\":0,\"name\":\"0\",\"path\":\"\","
                + "\"type\":\"sentence_transformers.models.Transformer\"},"
                + "{\"idx\":1,\"name\":\"1\",\"path\":\"1_Pooling\",\"type\":\"sentence_transformers.models.Pooling\"}]"));
        files.put("1_Pooling/config.json", utf8("{\"pooling_mode_mean_tokens\":true}"));
        files.put("README.md", utf8("not needed by the model, never fetched"));
        files.put("model.safetensors", weights);
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    private HubSettings settings() {
        return HubSettings.of(hub.endpoint(), cacheDir).withRetry(FAST_RETRY);
    }

    private Path resolve(HubSettings settings, String spec) throws IOException {
        return new HubModelResolver(settings).resolve(HubModelId.parse(spec), DownloadProgress.NONE);
    }

    @Test
    void downloadsIntoTheCacheLaidOutAsHuggingFaceHubDoes() throws IOException {
        String commit = hub.repo("acme/tiny-bert").commit(files, "main");

        Path snapshot = resolve(settings(), "hf://acme/tiny-bert");

        Path repo = cacheDir.resolve("models--acme--tiny-bert");
        assertThat(snapshot).isEqualTo(repo.resolve("snapshots").resolve(commit));
        assertThat(Files.readString(repo.resolve("refs/main"))).isEqualTo(commit);
        for (String name : List.of("config.json", "tokenizer.json", "tokenizer_config.json", "modules.json",
                "1_Pooling/config.json", "model.safetensors")) {
            Path file = snapshot.resolve(name);
            byte[] content = files.get(name);
            String etag = content.length >= FakeHub.LFS_THRESHOLD
                    ? FakeHub.sha256(content) : FakeHub.gitBlobHash(content);
            assertThat(Files.isSymbolicLink(file)).as(name + " is a link").isTrue();
            Path link = Files.readSymbolicLink(file);
            assertThat(link.isAbsolute()).as("relative link for " + name).isFalse();
            assertThat(file.getParent().resolve(link).normalize()).isEqualTo(repo.resolve("blobs").resolve(etag));
            assertThat(Files.readAllBytes(file)).as(name).isEqualTo(content);
        }
        assertThat(snapshot.resolve("README.md")).doesNotExist();
        // optional files the repository lacks are remembered as huggingface_hub remembers them
        assertThat(repo.resolve(".no_exist").resolve(commit).resolve("generation_config.json")).exists();
        assertThat(repo.resolve(".no_exist").resolve(commit).resolve("special_tokens_map.json")).exists();
        try (Stream<Path> blobs = Files.list(repo.resolve("blobs"))) {
            assertThat(blobs.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".incomplete"));
        }
        // the weights came from the CDN; every later file was asked for at the commit the first answer named
        assertThat(hub.requests("cdn", "GET")).hasSize(1);
        assertThat(hub.requests("hub", "HEAD").get(0).path()).contains("/resolve/main/config.json");
        assertThat(hub.requests("hub", "HEAD").subList(1, hub.requests("hub", "HEAD").size()))
                .allMatch(r -> r.path().contains("/resolve/" + commit + "/"));
        assertThat(hub.requests()).allMatch(r -> r.authorization() == null);
    }

    @Test
    void readsTheHubsMetadataHeadersForSmallAndLfsFiles() throws IOException {
        String commit = hub.repo("acme/tiny-bert").commit(files, "main");
        HubHttp http = new HubHttp(settings());
        HubModelId model = HubModelId.parse("hf://acme/tiny-bert");

        RemoteFile config = http.head(model, "main", "config.json");
        RemoteFile lfs = http.head(model, "main", "model.safetensors");

        assertThat(config.commitHash()).isEqualTo(commit);
        assertThat(config.etag()).isEqualTo(FakeHub.gitBlobHash(files.get("config.json")));
        assertThat(config.size()).isEqualTo(files.get("config.json").length);
        assertThat(config.etagIsSha256()).isFalse();
        // X-Linked-Etag / X-Linked-Size win over the pointer's ETag on the redirect
        assertThat(lfs.etag()).isEqualTo(FakeHub.sha256(weights));
        assertThat(lfs.size()).isEqualTo(weights.length);
        assertThat(lfs.etagIsSha256()).isTrue();
        assertThat(lfs.downloadUrl().toString()).endsWith("/acme/tiny-bert/resolve/" + commit + "/model.safetensors");
        assertThat(hub.requests("cdn", "HEAD")).isEmpty();
    }

    @Test
    void aSecondResolveIsServedFromTheCacheWithoutNetwork() throws IOException {
        String commit = hub.repo("acme/tiny-bert").commit(files, "main");
        Path first = resolve(settings(), "hf://acme/tiny-bert");
        int requestsAfterFirst = hub.requests().size();

        Path second = resolve(settings(), "hf://acme/tiny-bert");

        assertThat(requestsAfterFirst).isGreaterThan(0);
        assertThat(second).isEqualTo(first);
        assertThat(hub.requests()).hasSize(requestsAfterFirst);
        assertThat(second.getFileName().toString()).isEqualTo(commit);
    }

    @Test
    void checkingForUpdatesAsksTheHubButDownloadsOnlyWhatChanged() throws IOException {
        FakeHub.Repo repo = hub.repo("acme/tiny-bert");
        String first = repo.commit(files, "main");
        resolve(settings(), "hf://acme/tiny-bert");
        Map<String, byte[]> changed = new LinkedHashMap<>(files);
        changed.put("config.json", utf8("{\"model_type\":\"bert\",\"hidden_size\":16}"));
        String second = repo.commit(changed, "main");
        int cdnGets = hub.requests("cdn", "GET").size();
        int hubGets = hub.requests("hub", "GET").size();

        Path snapshot = resolve(settings().withCheckForUpdates(true), "hf://acme/tiny-bert");

        assertThat(second).isNotEqualTo(first);
        assertThat(snapshot.getFileName().toString()).isEqualTo(second);
        assertThat(Files.readString(cacheDir.resolve("models--acme--tiny-bert/refs/main"))).isEqualTo(second);
        assertThat(Files.readString(snapshot.resolve("config.json"))).contains("16");
        // the unchanged weights blob is linked into the new snapshot, not downloaded again
        assertThat(hub.requests("cdn", "GET")).hasSize(cdnGets);
        assertThat(hub.requests("hub", "GET")).hasSize(hubGets + 1);
        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(weights);
    }

    @Test
    void reusesFilesAlreadyInACacheWrittenByHuggingFaceHub() throws IOException {
        String commit = hub.repo("acme/tiny-bert").commit(files, "main");
        // the layout huggingface_hub leaves behind for the same repository
        Path repo = cacheDir.resolve("models--acme--tiny-bert");
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), commit);
        for (String name : List.of("config.json", "tokenizer.json", "model.safetensors")) {
            byte[] content = files.get(name);
            String etag = content.length >= FakeHub.LFS_THRESHOLD
                    ? FakeHub.sha256(content) : FakeHub.gitBlobHash(content);
            Path blob = repo.resolve("blobs").resolve(etag);
            Files.createDirectories(blob.getParent());
            Files.write(blob, content);
            Path link = repo.resolve("snapshots").resolve(commit).resolve(name);
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, link.getParent().relativize(blob));
        }

        // offline: the optional files Python never fetched count as absent, the required ones are there
        Path offline = resolve(settings().withOffline(true), "hf://acme/tiny-bert");
        assertThat(offline).isEqualTo(repo.resolve("snapshots").resolve(commit));
        assertThat(hub.requests()).isEmpty();

        Path snapshot = resolve(settings(), "hf://acme/tiny-bert");

        assertThat(snapshot).isEqualTo(repo.resolve("snapshots").resolve(commit));
        assertThat(hub.requests("cdn", "GET")).isEmpty();
        assertThat(FakeHub.paths(hub.requests("hub", "GET"))).noneMatch(p -> p.endsWith("/config.json")
                && !p.contains("1_Pooling"));
        assertThat(Files.readAllBytes(snapshot.resolve("1_Pooling/config.json")))
                .isEqualTo(files.get("1_Pooling/config.json"));
    }

    @Test
    void offlineUsesTheCacheOnlyAndSaysClearlyWhenItIsMissing() throws IOException {
        hub.repo("acme/tiny-bert").commit(files, "main");

        assertThatThrownBy(() -> resolve(settings().withOffline(true), "hf://acme/tiny-bert"))
                .isInstanceOf(HubException.NotInCache.class)
                .hasMessageContaining("HF_HUB_OFFLINE")
                .hasMessageContaining("acme/tiny-bert");
        assertThat(hub.requests()).isEmpty();

        Path online = resolve(settings(), "hf://acme/tiny-bert");
        hub.close();
        int before = hub.requests().size();
        Path offline = resolve(settings().withOffline(true).withCheckForUpdates(true), "hf://acme/tiny-bert");

        assertThat(offline).isEqualTo(online);
        assertThat(hub.requests()).hasSize(before);
    }

    @Test
    void anUnreachableHubFallsBackToACompleteCachedSnapshot() throws IOException {
        hub.repo("acme/tiny-bert").commit(files, "main");
        Path online = resolve(settings(), "hf://acme/tiny-bert");
        hub.close();

        Path again = resolve(settings().withCheckForUpdates(true), "hf://acme/tiny-bert");
        assertThat(again).isEqualTo(online);

        assertThatThrownBy(() -> resolve(settings().withCheckForUpdates(true), "hf://acme/other"))
                .isInstanceOf(HubException.NotInCache.class)
                .hasMessageContaining("could not be reached");
    }

    @Test
    void pinsBranchesTagsAndCommits() throws IOException {
        FakeHub.Repo repo = hub.repo("acme/tiny-bert");
        String v1 = repo.commit(files, "v1.0");
        Map<String, byte[]> newer = new LinkedHashMap<>(files);
        newer.put("config.json", utf8("{\"model_type\":\"bert\",\"hidden_size\":32}"));
        String v2 = repo.commit(newer, "main");

        Path tagged = resolve(settings(), "hf://acme/tiny-bert@v1.0");
        Path latest = resolve(settings(), "hf://acme/tiny-bert");
        int before = hub.requests().size();
        Path byCommit = resolve(settings().withCheckForUpdates(true), "hf://acme/tiny-bert@" + v1);

        assertThat(tagged.getFileName().toString()).isEqualTo(v1);
        assertThat(latest.getFileName().toString()).isEqualTo(v2);
        assertThat(Files.readString(tagged.resolve("config.json"))).contains("\"hidden_size\":8");
        assertThat(Files.readString(latest.resolve("config.json"))).contains("\"hidden_size\":32");
        Path refs = cacheDir.resolve("models--acme--tiny-bert/refs");
        assertThat(Files.readString(refs.resolve("v1.0"))).isEqualTo(v1);
        assertThat(Files.readString(refs.resolve("main"))).isEqualTo(v2);
        // a commit never changes: served from the cache even when checking for updates, and no ref is written
        assertThat(byCommit).isEqualTo(tagged);
        assertThat(hub.requests()).hasSize(before);
        assertThat(refs.resolve(v1)).doesNotExist();
    }

    @Test
    void aCommitNotYetCachedIsAskedForByItsHash() throws IOException {
        String commit = hub.repo("acme/tiny-bert").commit(files, "main");

        Path snapshot = resolve(settings(), "hf://acme/tiny-bert@" + commit);

        assertThat(snapshot.getFileName().toString()).isEqualTo(commit);
        assertThat(hub.requests("hub", "HEAD")).allMatch(r -> r.path().contains("/resolve/" + commit + "/"));
        assertThat(cacheDir.resolve("models--acme--tiny-bert/refs")).doesNotExist();
    }

    @Test
    void sendsTheTokenToTheHubButNotToTheCdn() throws IOException {
        hub.repo("acme/gated").commit(files, "main");
        hub.repo("acme/gated").gate("hf_secret");

        assertThatThrownBy(() -> resolve(settings(), "hf://acme/gated"))
                .isInstanceOf(HubException.GatedRepository.class)
                .hasMessageContaining("acme/gated")
                .hasMessageContaining("HF_TOKEN");

        Path snapshot = resolve(settings().withToken("hf_secret"), "hf://acme/gated");

        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(weights);
        List<FakeHub.Request> withToken = hub.requests().subList(1, hub.requests().size());
        assertThat(withToken).filteredOn(r -> r.server().equals("hub"))
                .isNotEmpty()
                .allMatch(r -> "Bearer hf_secret".equals(r.authorization()));
        assertThat(withToken).filteredOn(r -> r.server().equals("cdn"))
                .isNotEmpty()
                .allMatch(r -> r.authorization() == null);
    }

    @Test
    void theHubsErrorCodesBecomeDistinctExceptions() {
        String commit = hub.repo("acme/tiny-bert").commit(files, "main");
        Map<String, byte[]> noTokenizer = new LinkedHashMap<>(files);
        noTokenizer.remove("tokenizer.json");
        hub.repo("acme/no-tokenizer").commit(noTokenizer, "main");
        Map<String, byte[]> binOnly = new LinkedHashMap<>(files);
        binOnly.remove("model.safetensors");
        binOnly.put("pytorch_model.bin", weights);
        hub.repo("acme/bin-only").commit(binOnly, "main");

        assertThatThrownBy(() -> resolve(settings(), "hf://acme/missing"))
                .isInstanceOf(HubException.RepositoryNotFound.class)
                .hasMessageContaining("acme/missing");
        assertThatThrownBy(() -> resolve(settings(), "hf://acme/tiny-bert@no-such-branch"))
                .isInstanceOf(HubException.RevisionNotFound.class)
                .hasMessageContaining("no-such-branch");
        assertThatThrownBy(() -> resolve(settings(), "hf://acme/no-tokenizer"))
                .isInstanceOf(HubException.EntryNotFound.class)
                .hasMessageContaining("tokenizer.json");
        assertThatThrownBy(() -> resolve(settings(), "hf://acme/bin-only"))
                .isInstanceOf(HubException.EntryNotFound.class)
                .hasMessageContaining("model.safetensors");
        assertThat(commit).isNotBlank();
    }

    @Test
    void resumesABrokenTransferWithARangeRequest() throws IOException {
        hub.repo("acme/tiny-bert").commit(files, "main");
        hub.cutConnection(weights, 100_000, 1);
        List<Long> reported = new ArrayList<>();

        Path snapshot = new HubModelResolver(settings()).resolve(HubModelId.parse("hf://acme/tiny-bert"),
                (file, done, total) -> {
                    if (file.equals("model.safetensors")) {
                        assertThat(total).isEqualTo(weights.length);
                        reported.add(done);
                    }
                });

        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(weights);
        List<FakeHub.Request> cdnGets = hub.requests("cdn", "GET");
        assertThat(cdnGets).hasSize(2);
        assertThat(cdnGets.get(0).range()).isNull();
        long resumedAt = Long.parseLong(cdnGets.get(1).range().replaceAll("\\D", ""));
        assertThat(resumedAt).isGreaterThan(0).isLessThanOrEqualTo(100_000);
        assertThat(reported).isSorted().last().isEqualTo((long) weights.length);
    }

    @Test
    void resumesAnIncompleteBlobLeftByAnEarlierRun() throws IOException {
        hub.repo("acme/tiny-bert").commit(files, "main");
        Path incomplete = cacheDir.resolve("models--acme--tiny-bert/blobs/" + FakeHub.sha256(weights)
                + ".incomplete");
        Files.createDirectories(incomplete.getParent());
        Files.write(incomplete, java.util.Arrays.copyOf(weights, 123_456));

        Path snapshot = resolve(settings(), "hf://acme/tiny-bert");

        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(weights);
        assertThat(hub.requests("cdn", "GET")).singleElement()
                .extracting(FakeHub.Request::range).isEqualTo("bytes=123456-");
        assertThat(incomplete).doesNotExist();
    }

    @Test
    void concurrentResolversOfOneModelDownloadEachBlobOnce() throws Exception {
        hub.repo("acme/tiny-bert").commit(files, "main");
        hub.holdDownloads();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // two workers sharing one cache volume, started together
            Future<Path> first = pool.submit(() -> resolve(settings(), "hf://acme/tiny-bert"));
            Future<Path> second = pool.submit(() -> resolve(settings(), "hf://acme/tiny-bert"));
            // both have asked for the weights and one download is under way before any bytes flow
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while ((hub.requests("hub", "HEAD").stream().filter(r -> r.path().endsWith("/model.safetensors"))
                    .count() < 2 || hub.requests("cdn", "GET").isEmpty()) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            hub.openDownloads();

            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(second.get(30, TimeUnit.SECONDS));
            assertThat(Files.readAllBytes(first.get().resolve("model.safetensors"))).isEqualTo(weights);
            assertThat(hub.requests("cdn", "GET")).hasSize(1);
        } finally {
            hub.openDownloads();
            pool.shutdownNow();
        }
    }

    @Test
    void retriesTransientServerErrors() throws IOException {
        hub.repo("acme/tiny-bert").commit(files, "main");
        hub.unavailable(weights, 2);

        Path snapshot = resolve(settings(), "hf://acme/tiny-bert");

        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(weights);
        assertThat(hub.requests("cdn", "GET")).hasSize(3);
    }

    @Test
    void givesUpAfterTheLastRetryKeepingThePartialFile() {
        hub.repo("acme/tiny-bert").commit(files, "main");
        hub.cutConnection(weights, 50_000, 10);

        assertThatThrownBy(() -> resolve(settings(), "hf://acme/tiny-bert"))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("model.safetensors")
                .hasMessageContaining("4 attempt(s)");
        assertThat(hub.requests("cdn", "GET")).hasSize(FAST_RETRY.maxAttempts());
        assertThat(cacheDir.resolve("models--acme--tiny-bert/blobs/" + FakeHub.sha256(weights) + ".incomplete"))
                .exists();
    }

    @Test
    void rejectsADownloadWhoseSizeDiffersFromTheAnnouncedOne() throws IOException {
        String commit = hub.repo("acme/tiny-bert").commit(files, "main");
        hub.serveInstead(weights, java.util.Arrays.copyOf(weights, weights.length - 10));

        assertThatThrownBy(() -> resolve(settings(), "hf://acme/tiny-bert"))
                .isInstanceOf(HubException.CorruptDownload.class)
                .hasMessageContaining("size")
                .hasMessageContaining(Integer.toString(weights.length));

        Path repo = cacheDir.resolve("models--acme--tiny-bert");
        assertThat(repo.resolve("blobs/" + FakeHub.sha256(weights))).doesNotExist();
        assertThat(repo.resolve("blobs/" + FakeHub.sha256(weights) + ".incomplete")).doesNotExist();
        assertThat(repo.resolve("snapshots/" + commit + "/model.safetensors")).doesNotExist();
    }

    @Test
    void rejectsADownloadWhoseSha256DiffersFromTheLfsEtag() {
        hub.repo("acme/tiny-bert").commit(files, "main");
        byte[] tampered = weights.clone();
        tampered[1234] ^= 1;
        hub.serveInstead(weights, tampered);

        assertThatThrownBy(() -> resolve(settings(), "hf://acme/tiny-bert"))
                .isInstanceOf(HubException.CorruptDownload.class)
                .hasMessageContaining("sha256")
                .hasMessageContaining(FakeHub.sha256(weights));
    }

    @Test
    void fetchesTheIndexAndEveryShardOfShardedWeights() throws IOException {
        Map<String, byte[]> sharded = new LinkedHashMap<>(files);
        sharded.remove("model.safetensors");
        byte[] shard1 = randomBytes(5_000, 1);
        byte[] shard2 = randomBytes(6_000, 2);
        sharded.put("model.safetensors.index.json", utf8("{\"metadata\":{},\"weight_map\":{"
                + "\"a.weight\":\"model-00001-of-00002.safetensors\","
                + "\"b.weight\":\"model-00002-of-00002.safetensors\","
                + "\"c.weight\":\"model-00001-of-00002.safetensors\"}}"));
        sharded.put("model-00001-of-00002.safetensors", shard1);
        sharded.put("model-00002-of-00002.safetensors", shard2);
        hub.repo("acme/sharded").commit(sharded, "main");

        Path snapshot = resolve(settings(), "hf://acme/sharded");

        assertThat(Files.readAllBytes(snapshot.resolve("model-00001-of-00002.safetensors"))).isEqualTo(shard1);
        assertThat(Files.readAllBytes(snapshot.resolve("model-00002-of-00002.safetensors"))).isEqualTo(shard2);
        assertThat(hub.requests("cdn", "GET")).hasSize(2);
    }

    @Test
    void followsARelativeRedirectOfARenamedRepository() throws IOException {
        String commit = hub.repo("acme/new-name").commit(files, "main");
        hub.rename("acme/old-name", "acme/new-name");

        Path snapshot = new ModelLocator(settings(), DownloadProgress.NONE).resolve("hf://acme/old-name");

        assertThat(snapshot).isEqualTo(cacheDir.resolve("models--acme--old-name/snapshots").resolve(commit));
        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(weights);
        assertThat(hub.requests("hub", "HEAD")).anyMatch(r -> r.path().startsWith("/acme/new-name/"));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
