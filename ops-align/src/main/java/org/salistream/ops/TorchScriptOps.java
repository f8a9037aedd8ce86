package org.salistream.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * libtorch operations that DJL does not expose (such as {@code grid_sampler}), reached through a TorchScript
 * module that this project writes: its code is the text resource {@code sali_ops.torchscript} beside this
 * class, packed here into the archive layout {@code torch.jit.load} reads ({@code code/__torch__.py}, an
 * object pickle {@code data.pkl} with no tensors, {@code constants.pkl}, {@code version}) and loaded once
 * per JVM through DJL's PyTorch engine. libtorch compiles the code when it loads it; no Python is involved.
 *
 * <p>A method call is one JNI crossing, however many ATen operations the method runs. The module holds no
 * tensors, so it serves every device: each method works on its inputs' device. Thread-safe.
 */
final class TorchScriptOps {

    private static final String ROOT = "sali_ops/";
    private static PtSymbolBlock module;

    private TorchScriptOps() {}

    /** The loaded module, built and loaded on first use. */
    static synchronized PtSymbolBlock module() {
        if (module == null) {
            // The module lives as long as the JVM, in a manager of its own (never closed).
            PtNDManager owner = (PtNDManager) NDManager.newBaseManager();
            try (InputStream in = new ByteArrayInputStream(archive())) {
                module = JniUtils.loadModule(owner, in, true, false);
            } catch (IOException e) {
                throw new UncheckedIOException("loading the project's TorchScript operations", e);
            }
        }
        return module;
    }

    /**
     * Runs {@code method} on tensors and integers; the result is created in {@code like}'s manager.
     *
     * @param args {@link NDArray}s (PyTorch engine) and {@link Integer}s or {@link Long}s, in the method's order
     */
    static NDArray call(String method, NDArray like, Object... args) {
        IValue[] in = new IValue[args.length];
        try {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                in[i] = a instanceof NDArray nd ? IValue.from((PtNDArray) nd) : IValue.from(((Number) a).longValue());
            }
            try (IValue out = IValueUtils.runMethod(module(), method, in)) {
                return out.toTensor((PtNDManager) like.getManager());
            }
        } finally {
            for (IValue v : in) {
                if (v != null) {
                    v.close();
                }
            }
        }
    }

    /** The TorchScript archive, as {@code torch.jit.save} lays it out. */
    static byte[] archive() {
        byte[] code;
        try (InputStream in = TorchScriptOps.class.getResourceAsStream("sali_ops.torchscript")) {
            if (in == null) {
                throw new IllegalStateException("the resource sali_ops.torchscript is missing from the ops-align jar");
            }
            code = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, "data.pkl", modulePickle());
            stored(zip, "code/__torch__.py", code);
            stored(zip, "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // an empty tuple
            stored(zip, "version", "3\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The pickled module object (protocol 2): {@code __torch__.SaliOps} built with the state
     * {@code {'training': False}}, its only attribute.
     */
    private static byte[] modulePickle() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80); // PROTO 2
        p.write(2);
        p.writeBytes("c__torch__\nSaliOps\n".getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        p.write(')'); // EMPTY_TUPLE
        p.write(0x81); // NEWOBJ
        p.write('}'); // EMPTY_DICT
        p.write('X'); // BINUNICODE "training"
        p.writeBytes(new byte[] {8, 0, 0, 0});
        p.writeBytes("training".getBytes(StandardCharsets.US_ASCII));
        p.write(0x89); // NEWFALSE
        p.write('s'); // SETITEM
        p.write('b'); // BUILD
        p.write('.'); // STOP
        return p.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(ROOT + name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
