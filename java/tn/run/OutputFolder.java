package tn.run;

import tn.io.InvalidValueException;
import tn.record.RunJson;
import tn.io.Wording;
import tn.io.InputException;
import tn.io.InvalidValueException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A run's --out folder while the run writes it. Opened only once the run's inputs are valid, so
 * a refused run leaves nothing behind; held under an exclusive lock, so two runs cannot write one
 * folder; outputs are written into a staging folder inside it and moved into place together
 * with run.json last, after any earlier run.json is removed, so a folder whose run.json is there
 * holds a finished run and a failure (a full disk, say) leaves the earlier files or none, never
 * a mix. A folder this run created and leaves empty is removed again.
 *
 * <p>A folder that holds a finished run (its run.json) or the outputs of another command (their
 * list, .tn-outputs) is never written over unless the user asked to replace it (--force): then
 * the old run stays whole until the new one is published, and publishing removes every file of
 * the old run that the new one did not write again, so no folder mixes two runs.
 */
public final class OutputFolder implements AutoCloseable {
    static final String LOCK = ".tn.lock";
    private static final String STAGING = ".tn-staging";
    /** The names of the files the last publish moved in, one a line: what a replacing publish removes. */
    static final String MANIFEST = ".tn-outputs";

    private final Path dir;
    private final boolean created;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private Path staging;
    private boolean closed;

    private OutputFolder(Path dir, boolean created, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.created = created;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * What dir holds that a new run would replace: "a finished detect run (run.json)", "the outputs
     * of an earlier tn command (compare.tsv, ...)"; null for a missing or unfinished folder.
     */
    public static String finishedRun(Path dir) {
        Path runJson = dir.resolve("run.json");
        if (Files.isRegularFile(runJson)) {
            String command;
            try {
                command = RunJson.of(dir).optionalText("command").orElse(null);
            } catch (RuntimeException e) { // damaged: still somebody's run
                command = null;
            }
            return "a finished " + (command != null ? command + " " : "") + "run (run.json)";
        }
        List<String> names = manifest(dir);
        if (!names.isEmpty()) {
            return "the outputs of an earlier tn command ("
                    + String.join(", ", names.subList(0, Math.min(3, names.size()))) + (names.size() > 3 ? ", ..." : "")
                    + ")";
        }
        return null;
    }

    /**
     * Refuses, as bad usage, to write into a folder holding a finished run unless replace: the
     * user asked for it (--force). Checked before any work, and again once the folder is locked.
     */
    public static void refuseToReplace(Path dir, boolean replace) {
        if (replace) return;
        String held = finishedRun(dir);
        if (held == null) return;
        throw new InvalidValueException(Wording.of("{out} {} holds {}: pass {force} to replace it (its files are "
                        + "removed once the new ones are written), or choose another {out}",
                dir, held));
    }

    /** {@link #open(Path)} after {@link #refuseToReplace}. */
    public static OutputFolder open(Path dir, boolean replace) {
        refuseToReplace(dir, replace);
        return open(dir);
    }

    /** Creates dir where missing and takes its lock; fails at once if another run holds it. */
    public static OutputFolder open(Path dir) {
        boolean created = !Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new InputException(Wording.of("{out} {} is not a folder", dir));
            }
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new InputException(Wording.of("{out} {}: {} is not a folder", dir, e.getFile()));
        } catch (AccessDeniedException e) {
            throw new InputException(
                    "cannot create the output folder " + dir + ": permission denied (" + e.getFile() + ")");
        } catch (IOException e) {
            throw InputException.cannotCreate(dir, e);
        }
        Path lockFile = dir.resolve(LOCK);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(
                    lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very process
            }
            if (lock == null) {
                String holder = new String(Files.readAllBytes(lockFile), StandardCharsets.UTF_8).trim();
                channel.close();
                throw new InputException(
                        Wording.of("another tn run is writing to {}{}; wait for it to finish, or choose "
                                        + "another {out}",
                                dir, holder.isEmpty() ? "" : " (" + holder + ")"));
            }
            OutputFolder folder = new OutputFolder(dir, created, channel, lock);
            try {
                channel.truncate(0);
                channel.write(
                        ByteBuffer.wrap(("process " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                folder.close(); // a full disk: the lock file and a folder made for it go again
                throw cannotWriteIn(dir, e);
            }
            return folder;
        } catch (IOException e) {
            closeQuietly(channel);
            removeIfCreatedAndEmpty(dir, created);
            throw cannotWriteIn(dir, e);
        }
    }

    /** Folders no run writes into, nor anywhere below them: the system's programs and configuration. */
    private static final List<Path> SYSTEM_TREES =
            Stream.of("/bin", "/boot", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/sbin", "/usr")
                    .map(Path::of)
                    .toList();
    /** Folders no run writes into themselves (a folder of one's own below them is fine): the root and the system's. */
    private static final Set<Path> SYSTEM_FOLDERS = Stream.of("/", "/dev", "/home", "/media", "/mnt", "/opt", "/proc",
            "/root", "/run", "/srv", "/sys", "/var", "/var/lib", "/var/log").map(Path::of).collect(Collectors.toSet());
    /** Pseudo-filesystems (/proc, /sys, /dev...): their files are the kernel's; creating one fails, or worse, works. */
    private static final Set<String> PSEUDO = Set.of("proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2",
            "debugfs", "tracefs", "securityfs", "configfs", "pstore", "bpf", "mqueue", "hugetlbfs", "fusectl",
            "binfmt_misc", "autofs", "efivarfs", "selinuxfs", "rpc_pipefs", "nsfs");

    /**
     * Refuses an output that would overwrite what the same command reads, before anything is read
     * or created: out is not an input and, where it is a folder (folder), holds no input file. An
     * input folder inside it (tn slurm's OUT/shards/K, which tn merge reads into OUT) is left alone,
     * as is an output inside an input folder (a report's page in a folder it reads, a new folder
     * below a run's): the outputs are written beside what is read, never over it. Paths are
     * compared as the file system resolves them, links followed. out is neither the root, a system
     * folder, nor on a pseudo-filesystem. inputs: the option or parameter that names each.
     */
    public static void checkPlace(Path out, boolean folder, Map<String, ? extends Collection<Path>> inputs) {
        Path real = resolved(out);
        String resolvedTo = real.equals(out.toAbsolutePath().normalize()) ? "" : " (" + real + ")";
        if (SYSTEM_FOLDERS.contains(real) || SYSTEM_TREES.stream().anyMatch(real::startsWith)) {
            throw new InvalidValueException(
                    "{out} {}{} is a system folder; choose a folder of your own", out, resolvedTo);
        }
        String fs = fileSystemType(real);
        if (fs != null && PSEUDO.contains(fs)) {
            throw new InvalidValueException("{out} {}{} is on a pseudo-filesystem ({}) whose files are the kernel's; "
                    + "choose a folder on a disk", out, resolvedTo, fs);
        }
        for (Map.Entry<String, ? extends Collection<Path>> e : inputs.entrySet()) {
            for (Path input : e.getValue()) {
                String relation = relation(real, folder, resolved(input));
                if (relation != null) {
                    throw new InvalidValueException("{out} {}{} {} {}, an input of this command ({}): writing there "
                            + "would overwrite or mix with what it reads; choose another {out}",
                            out, resolvedTo, relation, input, e.getKey());
                }
            }
        }
    }

    /** How out stands to an input that it must not overwrite or write into, in words; null where it may. */
    private static String relation(Path out, boolean folder, Path input) {
        if (input.equals(out)) return "is";
        if (folder && input.startsWith(out) && !Files.isDirectory(input)) return "holds";
        return null;
    }

    /** p as the file system resolves it: its longest existing part's real path, the rest appended. */
    private static Path resolved(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return abs;
        try {
            return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
        } catch (IOException e) {
            return abs;
        }
    }

    /** The type of the file system p's longest existing part is on ("proc", "ext4"); null where unknown. */
    private static String fileSystemType(Path p) {
        Path existing = p;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        try {
            return existing == null ? null : Files.getFileStore(existing).type();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private static InputException cannotWriteIn(Path dir, IOException e) {
        return new InputException("cannot write in the output folder " + dir + ": " + InputException.reason(e));
    }

    Path dir() {
        return dir;
    }

    /** An empty folder to write outputs into; {@link #publish} moves them into dir. */
    public Path staging() {
        if (staging == null) {
            try {
                staging = dir.resolve(STAGING);
                deleteTree(staging); // left by a run that died while writing
                Files.createDirectory(staging);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot write in the output folder " + dir + ": " + InputException.reason(e), e);
            }
        }
        return staging;
    }

    /**
     * Writes the list of this run's files (MANIFEST) and then its last file (writeLast into last,
     * run.json or the command's summary), both into staging, so that the last file is the last
     * thing written: a run that cannot write it publishes nothing. Then moves the staged outputs
     * into dir: the earlier last file out first, then every file, then the earlier run's files
     * that this run did not write again out, then the last file. Returns the published paths, in
     * the order given.
     */
    public List<Path> publish(List<Path> staged, Path last, Consumer<Path> writeLast) {
        List<String> names = new ArrayList<>();
        for (Path p : staged) names.add(staging.relativize(p).toString());
        Path manifest = staging.resolve(MANIFEST);
        try {
            Files.write(manifest, names, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + manifest + ": " + InputException.reason(e), e);
        }
        writeLast.accept(last);
        try {
            List<String> earlier = earlierOutputs();
            Files.deleteIfExists(dir.resolve(last.getFileName()));
            List<Path> published = new ArrayList<>();
            for (Path p : staged) {
                if (p.equals(last)) continue;
                published.add(move(p));
            }
            for (String name : earlier) {
                if (!names.contains(name)) deleteTree(dir.resolve(name));
            }
            Files.move(manifest, dir.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            published.add(move(last));
            deleteTree(staging);
            staging = null;
            return published;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the outputs into " + dir + ": " + InputException.reason(e), e);
        }
    }

    /**
     * The files of the run this one replaces, by name in dir: its list, or for a run published
     * before there was one, its run.json's outputs. Only plain names inside dir are taken.
     */
    private List<String> earlierOutputs() {
        List<String> names = new ArrayList<>(manifest(dir));
        if (names.isEmpty() && Files.isRegularFile(dir.resolve("run.json"))) {
            try {
                names.addAll(RunJson.of(dir).texts("outputs"));
            } catch (RuntimeException e) {
                // a damaged run.json lists nothing: its files stay
            }
        }
        names.removeIf(n -> {
            Path p = Path.of(n).normalize();
            return n.isBlank() || p.isAbsolute() || p.startsWith("..") || n.startsWith(".tn");
        });
        return names;
    }

    private static List<String> manifest(Path dir) {
        Path file = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) return List.of();
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private Path move(Path staged) throws IOException {
        Path target = dir.resolve(staging.relativize(staged).toString());
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) deleteTree(target);
        return Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Releases the lock and removes what only this run made; once (the Ctrl-C path closes early). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            if (staging != null) deleteTree(staging);
            Files.deleteIfExists(dir.resolve(LOCK));
        } catch (IOException ignored) {
            // the lock is released below all the same
        }
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(lockChannel);
        removeIfCreatedAndEmpty(dir, created);
    }

    private static void removeIfCreatedAndEmpty(Path dir, boolean created) {
        if (!created) return;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            if (!entries.iterator().hasNext()) Files.delete(dir);
        } catch (IOException ignored) {
            // not empty after all, or gone: either way nothing of ours is left
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }

    private static void closeQuietly(FileChannel c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to release
        }
    }
}
