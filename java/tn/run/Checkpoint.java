package tn.run;

import tn.io.AtomicFile;
import tn.io.InputException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * The partial state of a run over items [from, to): how far it got (next), the running sums
 * (all a run accumulates) and how many sentences went into them, and the time spent so far.
 * Serves two purposes: an unfinished run's checkpoint, which --resume continues, and a finished
 * shard's state, which {@code tn merge} adds up. The fingerprint names everything that
 * determines the result (model, data, parameters); a state is only used by a run with the same
 * fingerprint. Written atomically, so a crash while writing leaves the previous file; read back
 * with its checksum and every field checked, so a damaged or tampered file is refused by name, never resumed into
 * different numbers.
 */
record Checkpoint(String fingerprint, int from, int to, int next, long count, long tokensDone, long forwardNanos,
        long scoringNanos, double[] sums) {
    private static final int MAGIC = 0x544e4350; // "TNCP"
    private static final int VERSION = 3; // 3: a CRC-32C of the bytes before it ends the file

    void write(Path file) {
        try (AtomicFile out = AtomicFile.create(file)) {
            CRC32C crc = new CRC32C();
            try (DataOutputStream w = new DataOutputStream(new CheckedOutputStream(
                         new BufferedOutputStream(Files.newOutputStream(out.temporary()), 1 << 16), crc))) {
                w.writeInt(MAGIC);
                w.writeInt(VERSION);
                w.writeUTF(fingerprint);
                w.writeInt(from);
                w.writeInt(to);
                w.writeInt(next);
                w.writeLong(count);
                w.writeLong(tokensDone);
                w.writeLong(forwardNanos);
                w.writeLong(scoringNanos);
                w.writeInt(sums.length);
                for (double s : sums) w.writeDouble(s);
                w.flush();
                w.writeInt((int) crc.getValue()); // of everything before it (its own bytes go through crc after)
            }
            out.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + InputException.reason(e), e);
        }
    }

    /**
     * Reads a state written for a run over items [from, to) whose sums have size values, and
     * checks it: the fingerprint (what != null names what must match), the item counts, the size
     * and finiteness of the sums.
     */
    static Checkpoint read(Path file, String fingerprint, int from, int to, int size) {
        verify(file);
        Checkpoint c;
        try (DataInputStream r = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (r.readInt() != MAGIC) throw new InputException(file + " is not a tn checkpoint or shard state");
            int version = r.readInt();
            if (version != VERSION) {
                throw new InputException(file + " was written by another version of tn (format " + version
                        + ", this tn reads " + VERSION + "); run again without it");
            }
            String fp = r.readUTF();
            if (!fp.equals(fingerprint)) {
                throw new InputException(file + " was written by a run with another model, data or parameters; "
                        + "run with the same ones to use it, or delete it to start over");
            }
            int f = r.readInt(), t = r.readInt(), next = r.readInt();
            long count = r.readLong(), tokens = r.readLong(), forward = r.readLong(), scoring = r.readLong();
            int n = r.readInt();
            if (f != from || t != to) {
                throw damaged(file, "it covers items " + f + ".." + t + ", this run items " + from + ".." + to);
            }
            if (next < from || next > to)
                throw damaged(file, "its next item " + next + " is outside " + from + ".." + to);
            if (count < 0 || tokens < 0 || forward < 0 || scoring < 0) throw damaged(file, "a negative count or time");
            if (n != size) throw damaged(file, "it holds " + n + " sums, this run keeps " + size);
            double[] sums = new double[n];
            for (int i = 0; i < n; i++) {
                sums[i] = r.readDouble();
                if (!Double.isFinite(sums[i])) throw damaged(file, "sum " + i + " is " + sums[i]);
            }
            r.readInt(); // the checksum, verified above
            if (r.read() != -1) throw damaged(file, "it has bytes after its sums");
            c = new Checkpoint(fp, f, t, next, count, tokens, forward, scoring, sums);
        } catch (EOFException e) {
            throw new InputException(file + " is truncated; delete it to start over");
        } catch (IOException e) {
            throw InputException.unreadable(file, e);
        }
        return c;
    }

    /**
     * Refuses a file whose bytes are not those written: its last four are the CRC-32C of the rest.
     * Flipped bits in the sums leave every value finite and every count in range, and would be
     * resumed or merged into wrong numbers without a word.
     */
    private static void verify(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            long size = Files.size(file);
            if (size < 12) throw new InputException(file + " is truncated; delete it to start over");
            CRC32C crc = new CRC32C();
            byte[] buf = new byte[1 << 16];
            for (long left = size - 4; left > 0;) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) throw new InputException(file + " is truncated; delete it to start over");
                crc.update(buf, 0, n);
                left -= n;
            }
            int stored = new DataInputStream(in).readInt();
            if (stored != (int) crc.getValue()) {
                throw damaged(file, "its checksum does not match its contents: it changed after tn wrote it");
            }
        } catch (EOFException e) {
            throw new InputException(file + " is truncated; delete it to start over");
        } catch (IOException e) {
            throw InputException.unreadable(file, e);
        }
    }

    /** Where a checkpoint stands, read without checking it against a run: for progress reports and tests. */
    record Position(int from, int to, int next) {}

    static Position peek(Path file) {
        try (DataInputStream r = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 12))) {
            if (r.readInt() != MAGIC || r.readInt() != VERSION)
                throw new InputException(file + " is not a tn checkpoint of this version");
            r.readUTF();
            return new Position(r.readInt(), r.readInt(), r.readInt());
        } catch (EOFException e) {
            throw new InputException(file + " is truncated");
        } catch (IOException e) {
            throw InputException.unreadable(file, e);
        }
    }

    /** Whether file is a state of the run fingerprint names over items [from, to), complete; false for anything else. */
    static boolean completes(Path file, String fingerprint, int from, int to) {
        if (!Files.isRegularFile(file)) return false;
        try (DataInputStream r = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 12))) {
            return r.readInt() == MAGIC && r.readInt() == VERSION && r.readUTF().equals(fingerprint)
                    && r.readInt() == from && r.readInt() == to && r.readInt() == to;
        } catch (IOException e) {
            return false;
        }
    }

    private static InputException damaged(Path file, String why) {
        return new InputException(file + " is damaged (" + why + "); delete it to start over");
    }
}
