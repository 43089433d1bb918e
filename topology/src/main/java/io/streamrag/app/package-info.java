/**
 * The runnable application: {@link io.streamrag.app.Main} ({@code streamrag run|config|...}), the runtime that
 * starts Kafka (embedded unless configured), the topics and one Kafka Streams instance per
 * {@link io.streamrag.app.Role}, and shuts them down in order. It is the one wiring layer: the roles
 * ({@link io.streamrag.app.IngestRole}, {@link io.streamrag.app.QaRole}) hand the topologies the settings records
 * {@code AppConfig} built from the catalogue, and every model is opened by {@link io.streamrag.app.ModelFactory}.
 * The topology packages ({@code ingest}, {@code qa}, {@code store}, {@code kafka}) do not depend on it.
 *
 * <p>Adding a role: implement {@link io.streamrag.app.RoleTopology} (no-argument constructor, build the topology from
 * the {@link io.streamrag.app.RoleContext}) and list it in {@link io.streamrag.app.RoleCatalog#builtIn()}.
 * Adding a command: a picocli {@code @Command} class using {@code @Mixin ConfigOptions}, registered in
 * {@link io.streamrag.app.Main#commandLine()}. Configuration: {@code io.streamrag.app.config}, every key declared
 * once in {@code ConfigCatalog} (name, default, accepted values, meaning), listed in {@code CONFIG.md}.
 */
package io.streamrag.app;
