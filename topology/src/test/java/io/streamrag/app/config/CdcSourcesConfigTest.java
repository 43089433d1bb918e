package io.streamrag.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrag.ingest.cdc.BodyTemplate;
import io.streamrag.ingest.cdc.CdcEnvelope;
import io.streamrag.ingest.cdc.CdcFieldMapping;
import io.streamrag.ingest.cdc.CdcFormat;
import io.streamrag.ingest.cdc.CdcSource;
import io.streamrag.ingest.cdc.TruncatePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named CDC sources: a YAML list, or flat keys from the environment and {@code --set}; validated at start-up. */
class CdcSourcesConfigTest {

    @TempDir
    Path dir;

    @Test
    void aYamlListOfSourcesBecomesTypedSourcesWithEveryMappingSetting() throws IOException {
        Path file = Files.writeString(dir.resolve("sources.yaml"), """
                cdc:
                  sources:
                    - name: articles
                      topics: [shop.public.articles]
                      format: json
                      envelope: full
                      id.columns: [region, article_id]
                      id.separator: "/"
                      id.prefix: "articles:"
                      title.column: headline
                      body.template: "{headline}\\n\\n{content}"
                      tenant.column: owner
                      metadata:
                        column: attributes
                        columns: [section, lang]
                      version.column: revision
                      soft.delete.column: status
                      soft.delete.value: archived
                      truncate: dead-letter
                    - name: pages
                      topic.pattern: "cdc-wiki\\\\.wiki\\\\..*"
                      format: avro
                      id.columns: id
                      body.column: text
                """);

        AppConfig config = load(Optional.of(file), Map.of(), Map.of());

        CdcSource articles = config.cdcSources().get(0);
        assertThat(articles).isEqualTo(new CdcSource("articles", List.of("shop.public.articles"), null,
                CdcFormat.JSON, CdcEnvelope.FULL, new CdcFieldMapping(List.of("region", "article_id"), "headline",
                BodyTemplate.parse("{headline}\n\n{content}"), "owner", "attributes", List.of("section", "lang"),
                "revision", "status", "archived", "articles:", "/"), TruncatePolicy.DEAD_LETTER));
        assertThat(articles.mapping().body().columns()).containsExactly("headline", "content");
        CdcSource pages = config.cdcSources().get(1);
        assertThat(pages.name()).isEqualTo("pages");
        assertThat(pages.topics()).isEmpty();
        assertThat(pages.topicPattern().matcher("cdc-wiki.wiki.pages").matches()).isTrue();
        assertThat(pages.format()).isEqualTo(CdcFormat.AVRO);
        assertThat(pages.envelope()).as("default").isEqualTo(CdcEnvelope.AUTO);
        assertThat(pages.truncate()).as("default").isEqualTo(TruncatePolicy.DELETE);
        assertThat(pages.mapping().idColumns()).containsExactly("id");
        assertThat(pages.mapping().idSeparator()).isEqualTo(":");
        assertThat(pages.mapping().titleColumn()).isNull();
    }

    @Test
    void environmentVariablesAndSetArgumentsDefineAndOverrideSources() {
        Map<String, String> env = Map.of(
                "STREAMRAG_CDC_SOURCES_FAQ_TOPICS", "crm.public.faq",
                "STREAMRAG_CDC_SOURCES_FAQ_ID_COLUMNS", "question_id",
                "STREAMRAG_CDC_SOURCES_FAQ_BODY_TEMPLATE", "Q: {question}\\nA: {answer}",
                "STREAMRAG_CDC_SOURCES_FAQ_FORMAT", "avro");

        AppConfig config = load(Optional.empty(), env, Map.of("cdc.sources.faq.format", "json",
                "cdc.sources.faq.id.prefix", "faq:"));

        assertThat(config.cdcSources()).singleElement().satisfies(faq -> {
            assertThat(faq.name()).isEqualTo("faq");
            assertThat(faq.topics()).containsExactly("crm.public.faq");
            assertThat(faq.format()).as("--set over the environment").isEqualTo(CdcFormat.JSON);
            assertThat(faq.mapping().idPrefix()).isEqualTo("faq:");
            assertThat(faq.mapping().body()).isEqualTo(BodyTemplate.parse("Q: {question}\nA: {answer}"));
        });
    }

    @Test
    void everyProblemNamesTheSourceAndTheKey() {
        assertThatThrownBy(() -> load(Optional.empty(), Map.of(), Map.of(
                "cdc.sources.articles.format", "protobuf",
                "cdc.sources.articles.body.template", "{headline}\\n\\n{content",
                "cdc.sources.articles.soft.delete.value", "archived",
                "cdc.sources.pages.topics", "a",
                "cdc.sources.pages.topic.pattern", "b",
                "cdc.sources.pages.id.columns", "id",
                "cdc.sources.pages.body.column", "text",
                "cdc.sources.pages.body.template", "{text}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cdc.sources.articles.topics='' is empty: CDC source 'articles' needs topics or"
                        + " cdc.sources.articles.topic.pattern")
                .hasMessageContaining("cdc.sources.articles.format=protobuf must be one of json, avro (--set")
                .hasMessageContaining("cdc.sources.articles.id.columns='' must name the primary-key column(s) of CDC"
                        + " source 'articles'")
                .hasMessageContaining("cdc.sources.articles.body.template={headline}\\n\\n{content unclosed '{'")
                .hasMessageContaining("cdc.sources.articles.soft.delete.value=archived needs"
                        + " cdc.sources.articles.soft.delete.column")
                .hasMessageContaining("cdc.sources.pages.topics=a and cdc.sources.pages.topic.pattern are both set")
                .hasMessageContaining("cdc.sources.pages.body.column=text and cdc.sources.pages.body.template are"
                        + " both set");
    }

    @Test
    void aSourceTopicMayNotBeAnotherTopicOfTheApplication() {
        assertThatThrownBy(() -> load(Optional.empty(), Map.of(), Map.of(
                "topics.cdc", "cdc.public.documents",
                "cdc.sources.docs.topics", "cdc.public.documents,streamrag.documents",
                "cdc.sources.docs.id.columns", "id",
                "cdc.sources.docs.body.column", "body")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cdc.sources.docs.topics=cdc.public.documents,streamrag.documents holds"
                        + " 'streamrag.documents', already used by topics.documents")
                .hasMessageContaining("holds 'cdc.public.documents', already used by topics.cdc");
        assertThatThrownBy(() -> load(Optional.empty(), Map.of(), Map.of(
                "cdc.sources.all.topic.pattern", "streamrag\\..*",
                "cdc.sources.all.id.columns", "id",
                "cdc.sources.all.body.column", "body")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cdc.sources.all.topic.pattern=streamrag\\..* matches"
                        + " 'streamrag.captured-documents', already used by topics.captured.documents");
    }

    @Test
    void aSourceNameIsLowerCaseLettersAndDigitsSoItHasAnEnvironmentName() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"), """
                cdc:
                  sources:
                    - name: wiki-pages
                      topics: [a]
                """);

        assertThatThrownBy(() -> load(Optional.of(file), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'cdc.sources' in " + file + " must be a list of maps, each with a 'name' of"
                        + " lower-case letters and digits");
        assertThatThrownBy(() -> load(Optional.empty(), Map.of(), Map.of("cdc.sources.Wiki.topics", "a")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cdc.sources.Wiki.topics")
                .hasMessageContaining("<name> lower-case letters and digits");
    }

    @Test
    void withoutSourcesTheLegacyTopicListStillWorks() {
        AppConfig config = load(Optional.empty(), Map.of(), Map.of("topics.cdc", "cdc.public.documents"));

        assertThat(config.cdcSources()).isEmpty();
        assertThat(config.topics().cdcSources()).containsExactly("cdc.public.documents");
        assertThat(config.topics().capturedDocuments()).isEqualTo("streamrag.captured-documents");
    }

    private static AppConfig load(Optional<Path> file, Map<String, String> env, Map<String, String> overrides) {
        return new ConfigLoader(env, new Properties()).load(file, overrides);
    }
}
