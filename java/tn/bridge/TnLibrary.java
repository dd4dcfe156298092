package tn.bridge;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The C API of libtn (native/tn.h), one to one. Only this package and {@code tn.gguf} talk to
 * it; everything else uses {@link Model}, {@link Session} and the GGUF classes.
 */
public interface TnLibrary extends Library {
    TnLibrary INSTANCE = NativeLoader.load();

    int TN_OK = 0;
    /** tn.h's TN_MAX_SEQUENCES: the most sentences, sequences or states one call takes. */
    int MAX_SEQUENCES = 256;

    String tn_last_error();
    String tn_llama_version();
    int tn_has_cuda();
    void tn_set_verbose(int verbose);

    /** The C type of tn_set_abort_handler's handler: called once, with tn's message, on a failed internal check. */
    interface AbortHandler extends com.sun.jna.Callback {
        void invoke(String message);
    }

    void tn_set_abort_handler(AbortHandler handler);

    @Structure.FieldOrder({"n_layer", "n_embd", "n_ff", "n_head", "n_head_kv", "n_vocab", "n_ctx_train", "file_type",
            "add_bos", "n_params", "size_bytes", "architecture", "description"})
    class ModelInfoStruct extends Structure {
        public int n_layer, n_embd, n_ff, n_head, n_head_kv, n_vocab, n_ctx_train, file_type, add_bos;
        public long n_params, size_bytes;
        public String architecture, description;
    }

    /** native/tn.h's tn_arch: one row of the architecture table. */
    @Structure.
    FieldOrder({"name", "models", "block", "x_source", "x_node", "act_node", "gate_node", "mlp_out_node", "h_node",
            "final_norm_node", "value_tensor", "deactivation", "no_detection", "no_analyses", "no_deactivation"})
    class ArchStruct extends Structure {
        public String name, models, block;
        public int x_source;
        public String x_node, act_node, gate_node, mlp_out_node, h_node, final_norm_node, value_tensor, deactivation;
        public String no_detection, no_analyses, no_deactivation;
    }

    int tn_arch_count();
    int tn_arch_get(int i, ArchStruct out);
    int tn_arch_find(String name, ArchStruct out);

    int tn_model_open(String path, int nGpuLayers, PointerByReference out);
    void tn_model_close(Pointer model);
    int tn_model_get_info(Pointer model, ModelInfoStruct out);
    int tn_tokenize(Pointer model, byte[] text, int len, int[] tokens, int cap, IntByReference nTokens);
    int tn_token_is_eog(Pointer model, int token);
    int tn_detokenize(
            Pointer model, int[] tokens, int nTokens, int removeSpecial, byte[] buf, int cap, IntByReference len);

    int tn_session_open(Pointer model, int nThreads, int nCtx, int nSeqMax, int kvF32, PointerByReference out);
    void tn_session_close(Pointer session);

    /** native/tn.h's tn_run_params; arrays are native memory (null where empty). */
    @Structure.FieldOrder({"tokens", "seq_len", "n_seq", "capture_positions", "slot_kind", "slot_layer", "slot_offset",
            "n_slots", "out", "deact_layer", "deact_neuron", "deact_value", "n_deact", "deact_positions"})
    class RunParams extends Structure {
        public Pointer tokens, seq_len;
        public int n_seq;
        public int capture_positions;
        public Pointer slot_kind, slot_layer, slot_offset;
        public int n_slots;
        public Pointer out;
        public Pointer deact_layer, deact_neuron, deact_value;
        public int n_deact;
        public int deact_positions;
    }

    int tn_session_run(Pointer session, RunParams params);
    int tn_session_nonfinite(Pointer session, IntByReference kind, IntByReference layer, IntByReference seq);

    int tn_session_open_generation(
            Pointer model, int nThreads, int nCtxSeq, int nSeq, int nBatch, int kvF32, PointerByReference out);
    int tn_session_decode(Pointer session, int[] tokens, int[] seq, int[] pos, byte[] off, byte[] output, int nRows,
            int[] deactLayer, int[] deactNeuron, float[] deactValue, int nDeact, int[] best, float[] margin);
    int tn_session_lone_row_exact(Pointer session, IntByReference exact);

    int tn_bench_greedy(Pointer model, int nThreads, int nCtxSeq, int kvF32, int[] tokens, int[] promptLen, int nSeq,
            int[] nNew, int[] generated, double[] seconds);

    int TN_VALUES_GRAPH = 1;
    int TN_VALUES_FILE = 2;
    int tn_values_open(Pointer model, int layer0, int nLayers, int nThreads, int flags, PointerByReference out);
    void tn_values_close(Pointer values);
    String tn_values_where(Pointer values, int k);
    int tn_values_constants(Pointer values, double[] c, double[] q, double[] n);
    int tn_values_products(Pointer values, int k0, int nk, Pointer x, int nRows, Pointer out);

    int tn_gguf_open(String path, PointerByReference out);
    void tn_gguf_close(Pointer gguf);
    long tn_gguf_n_kv(Pointer gguf);
    long tn_gguf_n_tensors(Pointer gguf);
    long tn_gguf_find_key(Pointer gguf, String key);
    long tn_gguf_find_tensor(Pointer gguf, String name);
    String tn_gguf_key(Pointer gguf, long i);
    int tn_gguf_kv_type(Pointer gguf, long i, IntByReference arrType, LongByReference arrN);
    int tn_gguf_get_f64(Pointer gguf, long i, double[] out);
    int tn_gguf_get_i64(Pointer gguf, long i, long[] out);
    Pointer tn_gguf_get_str(Pointer gguf, long i, long j);
    int tn_gguf_get_arr_f64(Pointer gguf, long i, long j, double[] out);
    String tn_gguf_tensor_name(Pointer gguf, long t);
    int tn_gguf_tensor_info(Pointer gguf, long t, IntByReference type, long[] ne, LongByReference nBytes);
    String tn_ggml_type_name(int type);
    int tn_gguf_read_rows(Pointer gguf, long t, long row0, long nRows, float[] out);

    int tn_writer_open(String path, PointerByReference out);
    int tn_writer_copy_kv(Pointer writer, Pointer src);
    int tn_writer_set_str(Pointer writer, String key, String value);
    int tn_writer_set_u32(Pointer writer, String key, int value);
    int tn_writer_set_f32(Pointer writer, String key, float value);
    int tn_writer_remove_key(Pointer writer, String key);
    int tn_writer_add_tensor(Pointer writer, String name, int nDims, long[] ne);
    int tn_writer_plan_types(Pointer writer, int ftype, String scratch, int nThreads);
    int tn_writer_begin_data(Pointer writer);
    int tn_writer_write_values(Pointer writer, float[] data, long n, int nThreads);
    int tn_writer_finish(Pointer writer);
    void tn_writer_close(Pointer writer);

    int tn_quantize(String in, String out, int ftype, int nThreads);

    void tn_quantize_progress(IntByReference done, IntByReference total);

    /** Throws a {@link LlamaException} carrying tn_last_error() unless rc is TN_OK. */
    static void check(int rc) {
        if (rc < TN_OK) {
            throw new LlamaException(rc, INSTANCE.tn_last_error());
        }
    }
}
