package tn.bridge;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.util.Map;

/**
 * Finds libtn: on the class path (Maven packs build/native/jna into the jar), or in the folder
 * named by the system property {@code tn.native.dir} or, failing that, the environment variable
 * TN_NATIVE_DIR (which reaches the test JVMs Maven forks). Strings cross as UTF-8 whatever the
 * platform's default charset. With the environment variable TN_LLAMA_LOG set, llama.cpp's own
 * log goes to stderr; otherwise only its warnings and errors are kept, for exception messages.
 */
final class NativeLoader {
    private NativeLoader() {}

    static TnLibrary load() {
        String dir = System.getProperty("tn.native.dir", System.getenv("TN_NATIVE_DIR"));
        if (dir != null && System.getProperty("jna.library.path") == null) {
            System.setProperty("jna.library.path", dir);
        }
        try {
            TnLibrary lib = Native.load("tn", TnLibrary.class, Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));
            if (System.getenv("TN_LLAMA_LOG") != null) lib.tn_set_verbose(1);
            NativeAbort.install(lib);
            return lib;
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("libtn is not available (" + e.getMessage().lines().findFirst().orElse("")
                            + "); build it with scripts/build",
                    e);
        }
    }
}
