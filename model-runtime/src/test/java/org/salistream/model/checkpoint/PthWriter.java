package org.salistream.model.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A test-side imitation of {@code torch.save(state_dict, f)} (zip container, pickle protocol 2), emitting
 * the opcode sequence the real one does (see the disassembly of the golden {@code weights.pth}):
 * {@code collections.OrderedDict()} via GLOBAL/EMPTY_TUPLE/REDUCE, then MARK, per tensor the key and
 * {@code _rebuild_tensor_v2((BINPERSID ('storage', torch.XStorage, key, 'cpu', numel)), offset, size,
 * stride, False, OrderedDict())}, SETITEMS, the {@code _metadata} attribute dict and BUILD; every object
 * memoised with BINPUT/LONG_BINPUT and repeated globals and interned strings fetched with BINGET.
 * It lets tests build what the golden file lacks: float16 storages, views, offsets, shared storages,
 * parameters, nesting, big-endian files.
 */
final class PthWriter {

    private record Storage(TorchDtype dtype, byte[] littleEndian) {}

    private record View(String name, String storageKey, long offset, long[] size, long[] stride, boolean parameter) {}

    private final String archive;
    private final Map<String, Storage> storages = new LinkedHashMap<>();
    private final List<View> views = new ArrayList<>();
    private String nestUnder;
    private boolean bigEndian;
    private final Map<String, byte[]> extraEntries = new LinkedHashMap<>();

    PthWriter(String archive) {
        this.archive = archive;
    }

    /** A storage of raw little-endian bytes. */
    PthWriter storage(String key, TorchDtype dtype, byte[] littleEndian) {
        storages.put(key, new Storage(dtype, littleEndian));
        return this;
    }

    PthWriter floatStorage(String key, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return storage(key, TorchDtype.FLOAT32, b.array());
    }

    PthWriter longStorage(String key, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return storage(key, TorchDtype.INT64, b.array());
    }

    /** A view of a storage, with explicit offset and strides. */
    PthWriter view(String name, String storageKey, long offset, long[] size, long[] stride) {
        views.add(new View(name, storageKey, offset, size, stride, false));
        return this;
    }

    /** A contiguous tensor over a whole storage (strides of C order, offset 0). */
    PthWriter tensor(String name, String storageKey, long... size) {
        views.add(new View(name, storageKey, 0, size, contiguousStrides(size), false));
        return this;
    }

    /** A contiguous tensor saved as an {@code nn.Parameter} ({@code _rebuild_parameter}). */
    PthWriter parameter(String name, String storageKey, long... size) {
        views.add(new View(name, storageKey, 0, size, contiguousStrides(size), true));
        return this;
    }

    /** Nest the state dict as {@code {'epoch': 7, key: state_dict}}, as training checkpoints do. */
    PthWriter nestUnder(String key) {
        this.nestUnder = key;
        return this;
    }

    /** Write storages big-endian and say so in {@code <archive>/byteorder}. */
    PthWriter bigEndian() {
        this.bigEndian = true;
        return this;
    }

    static long[] contiguousStrides(long... size) {
        long[] stride = new long[size.length];
        long s = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            stride[d] = s;
            s *= size[d];
        }
        return stride;
    }

    /** The {@code data.pkl} bytes. */
    byte[] pickle() {
        Pickler p = new Pickler();
        p.op(0x80).op(2); // PROTO 2
        if (nestUnder != null) {
            p.op('}').put(null).op('(').unicode("epoch").op('K').op(7).unicode(nestUnder);
        }
        p.global("collections", "OrderedDict").op(')').op('R').put(null);
        p.op('(');
        for (View v : views) {
            p.unicode(v.name);
            if (v.parameter) {
                p.global("torch._utils", "_rebuild_parameter");
            }
            p.global("torch._utils", "_rebuild_tensor_v2");
            p.op('(');
            Storage s = storages.get(v.storageKey);
            p.op('(')
                    .internedUnicode("storage")
                    .global("torch", s.dtype.storageClass())
                    .unicode(v.storageKey)
                    .internedUnicode("cpu")
                    .integer(s.littleEndian.length / s.dtype.elementSize())
                    .op('t')
                    .put(null);
            p.op('Q'); // BINPERSID
            p.integer(v.offset).tuple(v.size).tuple(v.stride).op(0x89); // requires_grad=False
            p.global("collections", "OrderedDict").op(')').op('R').put(null); // backward_hooks
            p.op('t').put(null).op('R').put(null);
            if (v.parameter) {
                p.op(0x88).global("collections", "OrderedDict").op(')').op('R').put(null);
                p.op(0x87).put(null).op('R').put(null); // TUPLE3, REDUCE
            }
        }
        p.op('u'); // SETITEMS
        // state_dict()._metadata, set through BUILD on the OrderedDict as pickle does for instance attributes.
        p.op('}')
                .put(null)
                .unicode("_metadata")
                .global("collections", "OrderedDict")
                .op(')')
                .op('R')
                .put(null)
                .op('(')
                .unicode("")
                .op('}')
                .put(null)
                .unicode("version")
                .op('K')
                .op(1)
                .op('s')
                .op('u')
                .op('s')
                .op('b');
        if (nestUnder != null) {
            p.op('u');
        }
        p.op('.');
        return p.out.toByteArray();
    }

    /** Adds or replaces a raw zip entry (relative to the archive folder), e.g. to corrupt a file. */
    PthWriter entry(String relative, byte[] content) {
        extraEntries.put(relative, content);
        return this;
    }

    /** The zip entries torch.save writes, in its order: data.pkl, byteorder, data/..., version. */
    Map<String, byte[]> entries() {
        Map<String, byte[]> e = new LinkedHashMap<>();
        e.put(archive + "/data.pkl", pickle());
        e.put(archive + "/byteorder", (bigEndian ? "big" : "little").getBytes(StandardCharsets.US_ASCII));
        storages.forEach((key, s) -> {
            byte[] b = s.littleEndian.clone();
            if (bigEndian) {
                StorageViews.swapBytes(b, s.dtype.elementSize());
            }
            e.put(archive + "/data/" + key, b);
        });
        e.put(archive + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        extraEntries.forEach((k, v) -> {
            if (v == null) {
                e.remove(archive + "/" + k);
            } else {
                e.put(archive + "/" + k, v);
            }
        });
        return e;
    }

    Path write(Path file) throws IOException {
        Files.write(file, zip(entries()));
        return file;
    }

    /** A zip of STORED entries, as torch writes them. */
    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry ze = new ZipEntry(e.getKey());
                ze.setMethod(ZipEntry.STORED);
                ze.setSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                ze.setCrc(crc.getValue());
                z.putNextEntry(ze);
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Pickle protocol 2 emitter with pickle's memo numbering. */
    static final class Pickler {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int memoSize;
        private final Map<String, Integer> memo = new HashMap<>();

        Pickler op(int b) {
            out.write(b);
            return this;
        }

        /** BINPUT / LONG_BINPUT of the object just pushed; {@code key} (if any) lets it be fetched again. */
        Pickler put(String key) {
            int id = memoSize++;
            if (key != null) {
                memo.put(key, id);
            }
            if (id < 256) {
                op('q').op(id);
            } else {
                op('r');
                le(id, 4);
            }
            return this;
        }

        private boolean get(String key) {
            Integer id = memo.get(key);
            if (id == null) {
                return false;
            }
            if (id < 256) {
                op('h').op(id);
            } else {
                op('j');
                le(id, 4);
            }
            return true;
        }

        Pickler global(String module, String name) {
            String key = "global:" + module + "." + name;
            if (!get(key)) {
                op('c');
                raw((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
                put(key);
            }
            return this;
        }

        Pickler unicode(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X');
            le(b.length, 4);
            raw(b);
            return put(null);
        }

        /** A string Python interns (the same object each time), so pickle memoises it once. */
        Pickler internedUnicode(String s) {
            if (!get("str:" + s)) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                op('X');
                le(b.length, 4);
                raw(b);
                put("str:" + s);
            }
            return this;
        }

        /** pickle's save_long for protocol 2: BININT1, BININT2, BININT or LONG1. */
        Pickler integer(long v) {
            if (v >= 0 && v < 256) {
                return op('K').op((int) v);
            }
            if (v >= 0 && v < 65536) {
                op('M');
                le(v, 2);
                return this;
            }
            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                op('J');
                le(v, 4);
                return this;
            }
            op(0x8a).op(8);
            le(v, 8);
            return this;
        }

        /** A tuple of ints: EMPTY_TUPLE, TUPLE1..3, or MARK ... TUPLE; memoised (non-empty ones). */
        Pickler tuple(long[] values) {
            if (values.length == 0) {
                return op(')');
            }
            if (values.length > 3) {
                op('(');
            }
            for (long v : values) {
                integer(v);
            }
            op(values.length > 3 ? 't' : 0x84 + values.length);
            return put(null);
        }

        private void le(long v, int n) {
            for (int i = 0; i < n; i++) {
                out.write((int) (v >>> (8 * i)) & 0xff);
            }
        }

        private void raw(byte[] b) {
            out.write(b, 0, b.length);
        }
    }
}
