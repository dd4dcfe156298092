package tn.data.tatoeba;

import tn.io.InputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lines of a UTF-8 stream, split at '\n' only (a trailing '\r' dropped), so that line numbers
 * match what an editor shows even where a sentence holds a stray carriage return, and so that
 * the links file (hundreds of MB of digits) is parsed from bytes without making a String a line.
 */
final class LineReader {
    private final InputStream in;
    private final String where; // the file, for messages
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                                                .onMalformedInput(CodingErrorAction.REPORT)
                                                .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private byte[] line = new byte[256];
    private int length;
    private long number;

    LineReader(InputStream in, String where) {
        this.in = in;
        this.where = where;
    }

    /** Moves to the next line; false at the end of the stream. */
    boolean next() throws IOException {
        length = 0;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                limit = in.read(buf, 0, buf.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (!any) return false;
                    break;
                }
            }
            any = true;
            int start = pos;
            while (pos < limit && buf[pos] != '\n') pos++;
            append(start, pos);
            if (pos < limit) {
                pos++;
                break;
            }
        }
        if (length > 0 && line[length - 1] == '\r') length--;
        number++;
        return true;
    }

    private void append(int from, int to) {
        int n = to - from;
        if (length + n > line.length) line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
        System.arraycopy(buf, from, line, length, n);
        length += n;
    }

    /** The 1-based number of the current line. */
    long number() {
        return number;
    }

    /** "FILE line N", for messages. */
    String at() {
        return where + " line " + number;
    }

    int length() {
        return length;
    }

    byte byteAt(int i) {
        return line[i];
    }

    /** Bytes [from, to) of the current line as strict UTF-8. */
    String text(int from, int to) {
        try {
            return utf8.decode(ByteBuffer.wrap(line, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            throw new InputException(at() + ": invalid UTF-8");
        }
    }
}
