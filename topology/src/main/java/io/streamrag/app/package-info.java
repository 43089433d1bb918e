/**
 * The runnable application: {@link io.streamrag.app.Main} ({@code streamrag run|config|...}), the runtime that
 * starts Kafka (embedded unless configured), the topics and one Kafka Streams instance per
 * {@link io.streamrag.app.Role}, and shuts them down in order.
 *
 * <p>Adding a role: implement {@link io.streamrag.app.RoleTopology} (no-argument constructor, build the topology from
 * the {@link io.streamrag.app.RoleContext}) and list it in {@link io.streamrag.app.RoleCatalog#builtIn()}.
 * Adding a command: a picocli {@code @Command} class using {@code @Mixin ConfigOptions}, registered in
 * {@link io.streamrag.app.Main#commandLine()}. Configuration: {@code io.streamrag.app.config}, keys in
 * {@code CONFIG.md}.
 */
package io.streamrag.app;
