package tn.hostile;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.cli.Tn;
import tn.cli.TnCli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `tn detect` with --out on a disk that fills up, in a child process, at several levels: from
 * no room at all (the lock file does not fit) to one page short of every output (run.json,
 * written last, does not fit). Each time: exit 3, a message naming the file and giving the OS's
 * reason, nothing on stdout, and no --out folder left (the run created it).
 * <p>
 * The disk is a 1 MiB tmpfs in a private mount namespace, filled to leave the level's pages free:
 * as root (as CI runs) `unshare --mount`, otherwise unshare makes the child root in a user
 * namespace of its own. Where unshare or the mount is refused, that case fails saying so: it is
 * the only one that tests run.json alone not fitting, and a run that cannot make it must not
 * count it as passed. The other case limits the size of each file the child writes (ulimit -f:
 * the JVM ignores SIGXFSZ, so a write past it fails with EFBIG, "File too large"), a second way
 * for writes to fail, which runs anywhere but cannot single out run.json.
 */
class FullDiskTest {
    static final int PAGE = 4096;

    @TempDir
    static Path tmp;
    static Path sentences, centroids;
    /** The outputs of the same detect on an ordinary disk: their sizes set the levels. */
    static List<Long> outputSizes;

    enum Disk { TMPFS, FILE_SIZE_LIMIT }

    @BeforeAll
    static void setUp() throws IOException {
        sentences = Files.writeString(tmp.resolve("ja.txt"), String.join("\n", TestModels.SENTENCES) + "\n");
        Hostile.tn("centroids", "--model", model(), "--type", "type2", "--lang", "ja", "--sentences",
                       sentences.toString(), "--out", tmp.resolve("centroids").toString(), "--threads", "1", "-q")
                .expect(0);
        centroids = tmp.resolve("centroids").resolve("centroids.npy");
        Path reference = tmp.resolve("reference");
        Hostile.tn(detect(reference).toArray(String[] ::new)).expect(0);
        try (Stream<Path> files = Files.list(reference)) {
            outputSizes = files.map(f -> f.toFile().length()).sorted().toList();
        }
        assertTrue(outputSizes.size() >= 5, "detect's outputs: " + outputSizes);
    }

    @ParameterizedTest
    @EnumSource(Disk.class)
    void aFullDiskFailsNamingTheFileAndLeavesNoFolder(Disk disk) throws Exception {
        if (disk == Disk.TMPFS) {
            assertTmpfsAvailable();
            long pages = 1; // the lock file
            for (long size : outputSizes) pages += (size + PAGE - 1) / PAGE;
            onTmpfs(0, "cannot write in the output folder");
            onTmpfs(1, ".tn-staging/");
            onTmpfs(pages / 2, ".tn-staging/");
            onTmpfs(pages - 1, ".tn-staging/run.json");
        } else {
            withFileSizeLimit(0, "cannot write in the output folder");
            withFileSizeLimit(1, ".tn-staging/");
            long largest = outputSizes.get(outputSizes.size() - 1);
            withFileSizeLimit((largest - 1) / 512, ".tn-staging/");
        }
    }

    /** Runs detect with --out on a 1 MiB tmpfs that has freePages left, and asserts the failure. */
    private static void onTmpfs(long freePages, String says) throws Exception {
        String what = "tmpfs with " + freePages + " pages free";
        Path mount = Files.createDirectories(tmp.resolve("tmpfs-" + freePages));
        Path listing = tmp.resolve("tmpfs-" + freePages + ".left");
        Path out = mount.resolve("out");
        List<String> cmd = new ArrayList<>(unshareMount());
        cmd.addAll(List.of("sh", "-c",
                "m=$1; fill=$2; left=$3; shift 3; "
                        + "mount -t tmpfs -o size=1m none \"$m\" && head -c \"$fill\" /dev/zero > \"$m/filler\" || exit 99; "
                        + "\"$@\"; rc=$?; ls -A \"$m\" > \"$left\"; exit $rc",
                "sh", mount.toString(), String.valueOf(1024 * 1024 - freePages * PAGE), listing.toString()));
        cmd.addAll(Hostile.javaCommand(Tn.class, detect(out).toArray(String[] ::new)));
        TnCli.Result r = Hostile.Child.start(cmd).await(what, 60);
        Hostile.refused(what, r, 3, out.toString(), says, "No space left on device");
        assertEquals("filler\n", Files.readString(listing), what + ": only the filler is left on the disk");
    }

    /** Runs detect with every file it writes limited to blocks of 512 bytes, and asserts the failure. */
    private static void withFileSizeLimit(long blocks, String says) throws Exception {
        String what = "ulimit -f " + blocks;
        Path out = Files.createDirectories(tmp.resolve("ulimit-" + blocks)).resolve("out");
        List<String> java = new ArrayList<>(Hostile.javaCommand(Tn.class, detect(out).toArray(String[] ::new)));
        // the limit holds for the JVM's own files too: no perf data file, and JNA's native part from
        // a folder rather than copied out of its jar into a temporary file
        java.addAll(1, List.of("-XX:-UsePerfData", "-Djna.boot.library.path=" + jnaDispatchFolder()));
        List<String> cmd = new ArrayList<>(
                List.of("sh", "-c", "ulimit -f \"$1\" && shift && exec \"$@\"", "sh", String.valueOf(blocks)));
        cmd.addAll(java);
        TnCli.Result r = Hostile.Child.start(cmd).await(what, 60);
        Hostile.refused(what, r, 3, out.toString(), says, "File too large");
        Hostile.nothingLeft(what, out);
    }

    /** Fails, saying why, where this machine cannot mount a tmpfs in a private mount namespace. */
    private static void assertTmpfsAvailable() throws Exception {
        Path probe = Files.createDirectories(tmp.resolve("probe"));
        List<String> unshare = unshareMount(), cmd = new ArrayList<>(unshare);
        cmd.addAll(List.of("sh", "-c", "mount -t tmpfs -o size=1m none \"$1\"", "sh", probe.toString()));
        TnCli.Result r = Hostile.Child.start(cmd).await("probing unshare", 30);
        assertEquals(0, r.code(),
                () -> "FullDiskTest's tmpfs case needs " + String.join(" ", unshare)
                        + " and a tmpfs mount, which were refused here (run the tests as root, or where "
                        + "unprivileged user namespaces are allowed): " + r.err().strip());
    }

    /** unshare into a private mount namespace: as root directly, otherwise as root of a user namespace. */
    private static List<String> unshareMount() throws IOException {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        return uid == 0 ? List.of("unshare", "--mount") : List.of("unshare", "--user", "--map-root-user", "--mount");
    }

    /** A folder holding JNA's libjnidispatch, copied out of its jar once. */
    private static Path jnaDispatchFolder() throws IOException {
        Path dir = tmp.resolve("jna");
        Path lib = dir.resolve(System.mapLibraryName("jnidispatch"));
        if (!Files.exists(lib)) {
            Files.createDirectories(dir);
            try (InputStream in = Native.class.getResourceAsStream(
                         "/com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + lib.getFileName())) {
                if (in == null)
                    throw new IOException("JNA's jar has no " + lib.getFileName() + " for " + Platform.RESOURCE_PREFIX);
                Files.copy(in, lib);
            }
        }
        return dir;
    }

    private static List<String> detect(Path out) {
        return List.of("detect", "--model", model(), "--type", "type2", "--lang", "ja", "--centroids",
                centroids.toString(), "--sentences", sentences.toString(), "--top-n", "10", "--out", out.toString(),
                "--threads", "1", "-q");
    }

    private static String model() {
        return TestModels.file(TestModels.SPM).toString();
    }
}
