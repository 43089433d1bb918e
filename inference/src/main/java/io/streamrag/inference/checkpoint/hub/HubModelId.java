package io.streamrag.inference.checkpoint.hub;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A model repository on the hub and the revision wanted: a branch, a tag or a 40-hex commit hash. Written
 * {@code hf://org/name} or {@code hf://org/name@revision}; the revision defaults to {@code main}.
 */
public record HubModelId(String repoId, String revision) {
    public static final String SCHEME = "hf://";
    public static final String DEFAULT_REVISION = "main";

    private static final Pattern COMMIT_HASH = Pattern.compile("^[0-9a-f]{40}$");
    // the hub's own rule for repository names: letters, digits, '-', '_', '.'; at most one '/'
    private static final Pattern REPO_ID = Pattern.compile("^([A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*$");

    public HubModelId {
        Objects.requireNonNull(repoId, "repoId");
        Objects.requireNonNull(revision, "revision");
        if (!REPO_ID.matcher(repoId).matches() || repoId.contains("..") || repoId.contains("--")) {
            throw new IllegalArgumentException("not a hub repository id: '" + repoId + "' (expected org/name)");
        }
        if (revision.isBlank() || revision.contains("..") || revision.startsWith("/")) {
            throw new IllegalArgumentException("not a usable revision: '" + revision + "' for " + repoId);
        }
    }

    public static boolean isHubSpec(String spec) {
        return spec != null && spec.startsWith(SCHEME);
    }

    /** Parses {@code hf://org/name[@revision]}. */
    public static HubModelId parse(String spec) {
        if (!isHubSpec(spec)) {
            throw new IllegalArgumentException("a hub model is written hf://org/name[@revision], got '" + spec + "'");
        }
        String rest = spec.substring(SCHEME.length());
        int at = rest.indexOf('@');
        String repo = at < 0 ? rest : rest.substring(0, at);
        String revision = at < 0 ? DEFAULT_REVISION : rest.substring(at + 1);
        if (repo.endsWith("/")) {
            repo = repo.substring(0, repo.length() - 1);
        }
        return new HubModelId(repo, revision);
    }

    public boolean isPinnedToCommit() {
        return isCommitHash(revision);
    }

    public static boolean isCommitHash(String value) {
        return value != null && COMMIT_HASH.matcher(value).matches();
    }

    /** The cache folder name huggingface_hub uses: {@code models--org--name}. */
    public String cacheFolderName() {
        return "models--" + repoId.replace("/", "--");
    }

    @Override
    public String toString() {
        return SCHEME + repoId + "@" + revision;
    }
}
