package tn.report;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Adds a 'post' table of format 3 (no glyph names) to a TrueType font that has none. Browsers
 * refuse a font without one, and FontBox's subsetter cannot write the one of fonts whose glyphs
 * have no names (it fails on Noto Sans CJK's), so the subset is written without it and given this
 * one: the table directory is rebuilt, the tables copied 4-byte aligned, every checksum and the
 * head table's checksum adjustment computed as the OpenType specification says.
 */
final class PostTable {
    private static final int POST = tag("post"), HEAD = tag("head");

    private PostTable() {}

    private record Table(int tag, byte[] data) {}

    static byte[] add(byte[] font) {
        ByteBuffer in = ByteBuffer.wrap(font);
        int version = in.getInt(0), count = Short.toUnsignedInt(in.getShort(4));
        List<Table> tables = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int record = 12 + 16 * i, tag = in.getInt(record), offset = in.getInt(record + 8),
                length = in.getInt(record + 12);
            if (tag == POST) return font;
            byte[] data = new byte[length];
            System.arraycopy(font, offset, data, 0, length);
            tables.add(new Table(tag, data));
        }
        tables.add(new Table(POST, format3()));
        tables.sort(Comparator.comparingLong(t -> Integer.toUnsignedLong(t.tag()))); // the directory is sorted by tag
        int n = tables.size(), power = Integer.highestOneBit(n);
        int size = 12 + 16 * n;
        for (Table t : tables) size += padded(t.data().length);
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(version)
                .putShort((short) n)
                .putShort((short) (power * 16))
                .putShort((short) Integer.numberOfTrailingZeros(power))
                .putShort((short) (n * 16 - power * 16));
        int offset = 12 + 16 * n, headOffset = -1;
        for (Table t : tables) {
            if (t.tag() == HEAD) {
                headOffset = offset;
                ByteBuffer.wrap(t.data()).putInt(8, 0); // checkSumAdjustment is summed as 0
            }
            out.putInt(t.tag()).putInt(checksum(t.data(), 0, t.data().length)).putInt(offset).putInt(t.data().length);
            offset += padded(t.data().length);
        }
        for (Table t : tables) {
            out.put(t.data());
            out.position(out.position() + padded(t.data().length) - t.data().length);
        }
        byte[] bytes = out.array();
        if (headOffset >= 0)
            ByteBuffer.wrap(bytes).putInt(headOffset + 8, 0xB1B0AFBA - checksum(bytes, 0, bytes.length));
        return bytes;
    }

    /** post 3.0: no glyph names; underline 100 units below the baseline, 50 thick; proportional. */
    private static byte[] format3() {
        return ByteBuffer.allocate(32).putInt(0x00030000).putInt(0).putShort((short) -100).putShort((short) 50).array();
    }

    /** The sum of the big-endian uint32s of data[from, from + length), zero-padded to 4 bytes. */
    static int checksum(byte[] data, int from, int length) {
        int sum = 0;
        for (int i = from; i < from + length; i += 4) {
            int word = 0;
            for (int b = 0; b < 4; b++) word = (word << 8) | (i + b < from + length ? data[i + b] & 0xff : 0);
            sum += word;
        }
        return sum;
    }

    private static int padded(int length) {
        return (length + 3) & ~3;
    }

    private static int tag(String name) {
        return ByteBuffer.wrap(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).getInt();
    }
}
