package io.streamrag.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.app.config.AppConfig;
import io.streamrag.app.config.ConfigLoader;
import io.streamrag.ingest.BagOfWordsEmbedder;
import io.streamrag.ingest.IngestSettings;
import io.streamrag.ingest.cdc.CdcFieldMapping;
import io.streamrag.ingest.cdc.CdcFormat;
import io.streamrag.ingest.cdc.CdcSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The application's configuration becomes the ingest topology's settings. */
class IngestRoleTest {

    @Test
    void topicsChunkingBatchingAndCdcSourcesComeFromTheAppConfig() {
        AppConfig config = new ConfigLoader(Map.of(), new Properties()).load(Optional.empty(), Map.of(
                "topics.cdc", "cdc.public.documents,cdc-wiki.wiki.pages",
                "ingest.chunk.size.tokens", "200",
                "ingest.chunk.overlap.tokens", "20",
                "ingest.batch.max.size", "48",
                "ingest.batch.max.wait.ms", "15"));

        IngestSettings settings = IngestRole.settings(config, new BagOfWordsEmbedder(128));

        assertThat(settings.documentChangeTopics()).containsExactly(config.topics().documents());
        assertThat(settings.cdcSources()).containsExactly(
                new CdcSource("cdc.public.documents", List.of("cdc.public.documents"), CdcFormat.AVRO,
                        CdcFieldMapping.DOCUMENTS_TABLE),
                new CdcSource("cdc-wiki.wiki.pages", List.of("cdc-wiki.wiki.pages"), CdcFormat.AVRO,
                        CdcFieldMapping.DOCUMENTS_TABLE));
        assertThat(settings.indexUpdatesTopic()).isEqualTo(config.topics().indexUpdates());
        assertThat(settings.deadLetterTopic()).isEqualTo(config.topics().deadLetters());
        assertThat(settings.chunking().chunkTokens()).isEqualTo(200);
        assertThat(settings.chunking().overlapTokens()).isEqualTo(20);
        assertThat(settings.batching().maxDocuments()).isEqualTo(48);
        assertThat(settings.batching().linger()).isEqualTo(Duration.ofMillis(15));
        assertThat(settings.collection()).endsWith("bag-of-words-test");
    }
}
