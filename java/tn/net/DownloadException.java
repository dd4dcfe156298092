package tn.net;

import tn.io.InputException;

/**
 * A download that did not complete. {@link Refused} (the server has no such file, refuses
 * access, or sent bytes with the wrong checksum) is a problem with what the user asked for and
 * exits with code 3; a plain DownloadException is the network's fault (connection lost, server
 * gone) and exits with code 4, with the partial file kept for the next try to resume.
 */
public class DownloadException extends RuntimeException {
    public DownloadException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The server answered, and the answer means retrying the same request will not help. */
    public static final class Refused extends InputException {
        public Refused(String message) {
            super(message);
        }
    }
}
