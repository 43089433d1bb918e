package io.streamrag.store.qdrant;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.VectorParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The double's whole state: collections and aliases. Like Qdrant, it answers a name that is taken with
 * INVALID_ARGUMENT ("Wrong input: ... already exists!") and a missing one with NOT_FOUND. Every RPC runs
 * under this object's lock, so each one is atomic, as a single-node Qdrant with {@code wait=true} appears to its
 * clients.
 */
final class DoubleStore {

    private final Map<String, DoubleCollection> collections = new TreeMap<>();
    private final Map<String, String> aliases = new TreeMap<>();

    /** Runs {@code work} on the collection named (directly or through an alias) under the store's lock. */
    synchronized <T> T withCollection(String name, Function<DoubleCollection, T> work) {
        return work.apply(resolve(name));
    }

    synchronized <T> T locked(Function<DoubleStore, T> work) {
        return work.apply(this);
    }

    synchronized boolean exists(String name) {
        return collections.containsKey(name);
    }

    synchronized void create(String name, VectorParams params,
                             Map<String, io.qdrant.client.grpc.Collections.SparseVectorParams> sparse) {
        checkName(name);
        if (collections.containsKey(name)) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("Wrong input: Collection `" + name + "` already exists!")
                    .asRuntimeException();
        }
        if (aliases.containsKey(name)) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("Wrong input: Alias with name `" + name + "` already exists!")
                    .asRuntimeException();
        }
        collections.put(name, new DoubleCollection(name, params, sparse));
    }

    /** Drops the collection and the aliases that point to it; false when there was none. */
    synchronized boolean delete(String name) {
        if (collections.remove(name) == null) {
            return false;
        }
        aliases.values().removeIf(name::equals);
        return true;
    }

    synchronized List<String> collectionNames() {
        return new ArrayList<>(collections.keySet());
    }

    synchronized Map<String, String> aliases() {
        return new TreeMap<>(aliases);
    }

    /** Applies alias operations all or nothing, in order, as Qdrant's UpdateAliases does. */
    synchronized void changeAliases(List<AliasOperations> actions) {
        Map<String, String> next = new TreeMap<>(aliases);
        for (AliasOperations action : actions) {
            switch (action.getActionCase()) {
                case CREATE_ALIAS: {
                    String alias = action.getCreateAlias().getAliasName();
                    String target = action.getCreateAlias().getCollectionName();
                    checkName(alias);
                    if (!collections.containsKey(target)) {
                        throw notFound(target);
                    }
                    if (collections.containsKey(alias)) {
                        throw Status.INVALID_ARGUMENT
                                .withDescription("Wrong input: Collection with name `" + alias + "` already exists!")
                                .asRuntimeException();
                    }
                    if (next.containsKey(alias)) {
                        throw Status.INVALID_ARGUMENT
                                .withDescription("Wrong input: Alias `" + alias + "` already exists!")
                                .asRuntimeException();
                    }
                    next.put(alias, target);
                    break;
                }
                case DELETE_ALIAS: {
                    String alias = action.getDeleteAlias().getAliasName();
                    if (next.remove(alias) == null) {
                        throw Status.NOT_FOUND.withDescription("Not found: Alias `" + alias + "` doesn't exist!")
                                .asRuntimeException();
                    }
                    break;
                }
                case RENAME_ALIAS: {
                    String from = action.getRenameAlias().getOldAliasName();
                    String to = action.getRenameAlias().getNewAliasName();
                    String target = next.remove(from);
                    if (target == null) {
                        throw Status.NOT_FOUND.withDescription("Not found: Alias `" + from + "` doesn't exist!")
                                .asRuntimeException();
                    }
                    if (next.containsKey(to) || collections.containsKey(to)) {
                        throw Status.INVALID_ARGUMENT.withDescription("Wrong input: `" + to + "` already exists!")
                                .asRuntimeException();
                    }
                    next.put(to, target);
                    break;
                }
                default:
                    throw Status.INVALID_ARGUMENT.withDescription("Wrong input: empty alias operation")
                            .asRuntimeException();
            }
        }
        aliases.clear();
        aliases.putAll(next);
    }

    /** For assertions in tests: the collection behind a name or alias, or null. */
    synchronized DoubleCollection find(String name) {
        String target = aliases.getOrDefault(name, name);
        return collections.get(target);
    }

    private DoubleCollection resolve(String name) {
        DoubleCollection collection = find(name);
        if (collection == null) {
            throw notFound(name);
        }
        return collection;
    }

    static StatusRuntimeException notFound(String name) {
        return Status.NOT_FOUND.withDescription("Not found: Collection `" + name + "` doesn't exist!")
                .asRuntimeException();
    }

    private static void checkName(String name) {
        if (name.isEmpty() || name.length() > 255 || name.chars().anyMatch(c -> "<>:\"/\\|?*\0".indexOf(c) >= 0)) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("Validation error in body: collection name `" + name + "` is invalid")
                    .asRuntimeException();
        }
    }
}
