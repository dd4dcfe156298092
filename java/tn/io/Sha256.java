package tn.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of files (streamed: model files run to gigabytes) and of bytes, as lower-case hex. */
public final class Sha256 {
    private Sha256() {}

    public static String of(Path file) {
        MessageDigest md = digest();
        update(md, file);
        return hex(md);
    }

    /** Feeds a file's bytes to md (a download hashes what it already has, then what arrives). */
    public static void update(MessageDigest md, Path file) {
        byte[] buf = new byte[1 << 20];
        try (InputStream in = InputFile.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0;) md.update(buf, 0, n);
        } catch (IOException e) {
            throw InputException.unreadable(file, e);
        }
    }

    /** The hex of what md has been fed. */
    public static String hex(MessageDigest md) {
        return HexFormat.of().formatHex(md.digest());
    }

    /** Whether s is a sha256 written as 64 hex digits (either case). */
    public static boolean isHex(String s) {
        return s.length() == 64
                && s.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F');
    }

    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** A fresh SHA-256, for bytes that stream past. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
