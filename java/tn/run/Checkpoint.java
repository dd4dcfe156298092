package tn.run;

import tn.io.AtomicFile;
import tn.io.InputException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The partial state of an unfinished run, so that --resume can continue it: how many items are
 * done, the running sums (all a run accumulates), and the time spent so far. The fingerprint
 * names everything that determines the result (model, data, parameters); a checkpoint is only
 * resumed by a run with the same fingerprint. Written atomically, so a crash while writing
 * leaves the previous checkpoint.
 */
record Checkpoint(String fingerprint, int itemsDone, long count, long tokensDone, long forwardNanos,
                  long scoringNanos, double[] sums) {
    private static final int MAGIC = 0x544e4350; // "TNCP"
    private static final int VERSION = 1;

    void write(Path file) {
        try (AtomicFile out = AtomicFile.create(file)) {
            try (DataOutputStream w = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(out.temporary()), 1 << 16))) {
                w.writeInt(MAGIC);
                w.writeInt(VERSION);
                w.writeUTF(fingerprint);
                w.writeInt(itemsDone);
                w.writeLong(count);
                w.writeLong(tokensDone);
                w.writeLong(forwardNanos);
                w.writeLong(scoringNanos);
                w.writeInt(sums.length);
                for (double s : sums) w.writeDouble(s);
            }
            out.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    static Checkpoint read(Path file) {
        try (DataInputStream r = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (r.readInt() != MAGIC || r.readInt() != VERSION) throw new InputException(file + " is not a tn checkpoint");
            String fingerprint = r.readUTF();
            int itemsDone = r.readInt();
            long count = r.readLong(), tokens = r.readLong(), forward = r.readLong(), scoring = r.readLong();
            double[] sums = new double[r.readInt()];
            for (int i = 0; i < sums.length; i++) sums[i] = r.readDouble();
            return new Checkpoint(fingerprint, itemsDone, count, tokens, forward, scoring, sums);
        } catch (EOFException e) {
            throw new InputException(file + " is a truncated checkpoint; delete it to start over");
        } catch (IOException e) {
            throw new InputException("cannot read the checkpoint " + file + ": " + e.getMessage(), e);
        }
    }
}
