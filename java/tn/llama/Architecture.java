package tn.llama;

import tn.bridge.TnLibrary;

import java.util.ArrayList;
import java.util.List;

import static tn.bridge.TnLibrary.INSTANCE;

/**
 * A row of tn's architecture table (native/tn_arch.cpp, read through tn_arch_find): where the
 * method's quantities come from in llama.cpp's graph for one llama.cpp architecture, and what tn
 * supports for it. The capture code uses the same row, so what this says is what a run does.
 * Reading it loads no model. An architecture the table has no row for is {@link #known()} false
 * and supports nothing, with the table's reason.
 */
public record Architecture(String name, boolean known, String models, String block, String xL, String activation,
        String valueVectors, String hidden, String finalNorm, String switchingOff, Support detection, Support analyses,
        Support deactivation) {
    /** Whether tn does one kind of work on an architecture's models, and why not. */
    public record Support(boolean supported, String reason) {
        static Support of(String reason) {
            return new Support(reason == null, reason);
        }
    }

    /** The row of llama.cpp's architecture name (general.architecture). */
    public static Architecture of(String name) {
        TnLibrary.ArchStruct row = new TnLibrary.ArchStruct();
        if (INSTANCE.tn_arch_find(name, row) != TnLibrary.TN_OK) {
            Support no = new Support(false, INSTANCE.tn_last_error());
            return new Architecture(name, false, null, null, null, null, null, null, null, null, no, no, no);
        }
        return from(row);
    }

    /** Every row of the table, supported or not. */
    public static List<Architecture> all() {
        List<Architecture> rows = new ArrayList<>();
        for (int i = 0; i < INSTANCE.tn_arch_count(); i++) {
            TnLibrary.ArchStruct row = new TnLibrary.ArchStruct();
            TnLibrary.check(INSTANCE.tn_arch_get(i, row));
            rows.add(from(row));
        }
        return rows;
    }

    /** Whether detection, the analyses and deactivation all work on its models. */
    public boolean fullySupported() {
        return detection.supported() && analyses.supported() && deactivation.supported();
    }

    private static final int X_NODE = 1, X_SUBTRACT = 2; // tn_x_source

    private static Architecture from(TnLibrary.ArchStruct r) {
        String xL = switch (r.x_source) {
            case X_NODE -> "node " + r.x_node + "-l";
            case X_SUBTRACT -> r.h_node + "-l minus " + r.mlp_out_node + "-l (no node holds h_{l-1} + o_l)";
            default -> null;
        };
        return new Architecture(r.name, true, r.models, r.block, xL,
                r.act_node == null
                        ? null
                        : r.act_node + "-l, the second operand of the mat-mul with blk.l." + r.value_tensor + ".weight",
                r.value_tensor == null ? null : "columns of blk.l." + r.value_tensor + ".weight, dequantized",
                r.h_node == null ? null : r.h_node + "-l", r.final_norm_node, r.deactivation,
                Support.of(r.no_detection), Support.of(r.no_analyses), Support.of(r.no_deactivation));
    }
}
