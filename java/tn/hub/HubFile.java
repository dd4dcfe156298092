package tn.hub;

import tn.io.InvalidValueException;
import java.util.regex.Pattern;

/**
 * A file of a hub repository at a revision: "Qwen/Qwen2.5-0.5B-Instruct-GGUF",
 * "qwen2.5-0.5b-instruct-q8_0.gguf", "main". Checked here once, since both a URL and a path
 * in the cache are built from it: a file name of ".." segments must not climb out of the cache.
 */
public record HubFile(String repo, String path, String revision) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    public HubFile {
        requireRepo(repo);
        String[] segments = path.split("/", -1);
        for (String s : segments) {
            if (s.isEmpty() || s.equals(".") || s.equals("..") || s.contains("\\")) {
                throw new InvalidValueException(
                        "invalid file name '{}' in {}: expected a path inside the repository, like "
                                + "model-q8_0.gguf or Q8_0/model.gguf",
                        path, repo);
            }
        }
        if (revision.isBlank()) throw new InvalidValueException("{revision} must not be empty");
    }

    /** Checks a repository id, OWNER/NAME as the hub spells it. */
    public static String requireRepo(String repo) {
        String[] parts = repo.split("/", -1);
        if (parts.length != 2 || !NAME.matcher(parts[0]).matches() || !NAME.matcher(parts[1]).matches()
                || repo.contains("..")) {
            throw new InvalidValueException(
                    "invalid repository '{}': expected OWNER/NAME, like Qwen/Qwen2.5-0.5B-Instruct-GGUF", repo);
        }
        return repo;
    }
}
