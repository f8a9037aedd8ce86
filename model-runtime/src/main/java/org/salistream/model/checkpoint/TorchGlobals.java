package org.salistream.model.checkpoint;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The allow-list of Python globals a state-dict pickle may name, and what each one builds: nothing is
 * ever looked up dynamically, so a pickle cannot run code. The list follows the spirit of PyTorch's own
 * {@code torch.load(weights_only=True)} unpickler ({@code torch/_weights_only_unpickler.py}): tensor and
 * parameter rebuild functions, typed storage classes, dtypes, {@code torch.Size}, {@code torch.device},
 * {@code collections.OrderedDict}, sets, and {@code _codecs.encode} (how protocol 2 pickles
 * {@code bytes}). Any other global, {@code os.system} for instance, is refused with its name.
 */
final class TorchGlobals {

    /** A callable global: a function or a class that REDUCE/NEWOBJ may call with an argument tuple. */
    interface Callable {
        Object call(List<Object> args) throws CheckpointException;
    }

    /** A resolved global that can be called; {@code name} is {@code module.qualname} for messages. */
    record Function(String name, Callable body) {
        Object call(List<Object> args) throws CheckpointException {
            return body.call(args);
        }
    }

    /** A typed storage class such as {@code torch.FloatStorage}; it appears inside persistent ids. */
    record StorageClass(String name, TorchDtype dtype) {}

    /** A Python type that is only compared, never called: {@code torch.Tensor}, {@code nn.Parameter}. */
    record TypeObject(String name) {}

    /** {@code collections.OrderedDict}, which (unlike a plain dict) has attributes, set by BUILD. */
    static final class OrderedDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;
        /** Instance attributes, e.g. the {@code _metadata} that {@code Module.state_dict()} attaches. */
        final Map<Object, Object> attributes = new LinkedHashMap<>();
    }

    private TorchGlobals() {}

    /**
     * The object a {@code GLOBAL module name} (or {@code STACK_GLOBAL}) opcode pushes.
     *
     * @throws CheckpointException for any global outside the allow-list
     */
    static Object resolve(String module, String name) throws CheckpointException {
        // Protocol 2 writes Python 3's builtins under their Python 2 module names (fix_imports).
        String mod = "__builtin__".equals(module) ? "builtins" : module;
        String qualified = mod + "." + name;
        if ("torch".equals(mod)) {
            Optional<TorchDtype> storage = TorchDtype.ofStorageClass(name);
            if (storage.isPresent()) {
                return new StorageClass(qualified, storage.get());
            }
            Optional<TorchDtype> dtype = TorchDtype.ofTorchName(name);
            if (dtype.isPresent()) {
                return dtype.get();
            }
        }
        switch (qualified) {
            case "torch._utils._rebuild_tensor_v2":
                return new Function(qualified, args -> rebuildTensor(qualified, args, 6, 7));
            case "torch._utils._rebuild_tensor":
                return new Function(qualified, args -> rebuildTensor(qualified, args, 4, 4));
            case "torch._utils._rebuild_parameter":
                return new Function(qualified, args -> rebuildParameter(qualified, args, 3));
            case "torch._utils._rebuild_parameter_with_state":
                return new Function(qualified, args -> rebuildParameter(qualified, args, 4));
            case "torch._tensor._rebuild_from_type_v2":
                return new Function(qualified, TorchGlobals::rebuildFromType);
            case "torch.Tensor", "torch._tensor.Tensor", "torch.nn.parameter.Parameter", "torch.nn.Parameter":
                return new TypeObject(qualified);
            case "torch.Size":
                return new Function(qualified, args -> tuple(iterable(qualified, single(qualified, args))));
            case "torch.device":
                return new Function(
                        qualified,
                        args -> args.size() == 2
                                ? args.get(0) + ":" + args.get(1)
                                : String.valueOf(single(qualified, args)));
            case "collections.OrderedDict":
                return new Function(qualified, TorchGlobals::orderedDict);
            case "builtins.set":
                return new Function(
                        qualified,
                        args -> new LinkedHashSet<>(
                                args.isEmpty() ? List.of() : iterable(qualified, single(qualified, args))));
            case "builtins.frozenset":
                return new Function(
                        qualified,
                        args -> Collections.unmodifiableSet(new LinkedHashSet<>(
                                args.isEmpty() ? List.of() : iterable(qualified, single(qualified, args)))));
            case "_codecs.encode":
                return new Function(qualified, TorchGlobals::codecsEncode);
            default:
                throw new CheckpointException("the pickle names the global '" + qualified
                        + "', which is not on the allow-list of a state-dict checkpoint (tensors, storages, dtypes,"
                        + " OrderedDict, sets). Refused, as torch.load(weights_only=True) would: loading it would"
                        + " mean running arbitrary code. Re-save only the model's state_dict().");
        }
    }

    private static Object rebuildTensor(String fn, List<Object> args, int minArgs, int maxArgs)
            throws CheckpointException {
        if (args.size() < minArgs || args.size() > maxArgs) {
            throw new CheckpointException(
                    fn + " expects " + minArgs + ".." + maxArgs + " arguments, got " + args.size());
        }
        if (!(args.get(0) instanceof StorageRef storage)) {
            throw new CheckpointException(
                    fn + ": the first argument must be a storage persistent id, got " + describe(args.get(0)));
        }
        long offset = toLong(fn + " storage_offset", args.get(1));
        long[] size = longs(fn + " size", args.get(2));
        long[] stride = longs(fn + " stride", args.get(3));
        if (size.length != stride.length) {
            throw new CheckpointException(fn + ": size has " + size.length + " dimensions, stride " + stride.length);
        }
        return new TensorRef(storage, storage.dtype(), offset, size, stride, false);
    }

    private static Object rebuildParameter(String fn, List<Object> args, int count) throws CheckpointException {
        if (args.size() != count || !(args.get(0) instanceof TensorRef tensor)) {
            throw new CheckpointException(fn + " expects (tensor, requires_grad, hooks" + (count == 4 ? ", state" : "")
                    + "), got " + args.size() + " arguments starting with "
                    + describe(args.isEmpty() ? null : args.get(0)));
        }
        return tensor.asParameter();
    }

    /** {@code _rebuild_from_type_v2(func, type, args, state)}: a plain tensor or parameter with attributes. */
    private static Object rebuildFromType(List<Object> args) throws CheckpointException {
        String fn = "torch._tensor._rebuild_from_type_v2";
        if (args.size() != 4 || !(args.get(0) instanceof Function inner) || !(args.get(1) instanceof TypeObject type)) {
            throw new CheckpointException(fn + " expects (function, torch.Tensor type, args, state)");
        }
        Object result = inner.call(list(fn + " args", args.get(2)));
        if (!(result instanceof TensorRef tensor)) {
            throw new CheckpointException(fn + ": " + inner.name() + " did not rebuild a tensor");
        }
        // The attribute state (Python-side fields of a tensor subclass) carries no weights: dropped.
        return type.name().endsWith("Parameter") ? tensor.asParameter() : tensor;
    }

    private static Object orderedDict(List<Object> args) throws CheckpointException {
        OrderedDict d = new OrderedDict();
        if (!args.isEmpty()) {
            for (Object item : iterable("collections.OrderedDict", single("collections.OrderedDict", args))) {
                List<Object> pair = list("collections.OrderedDict item", item);
                if (pair.size() != 2) {
                    throw new CheckpointException("collections.OrderedDict: an item is not a (key, value) pair");
                }
                d.put(pair.get(0), pair.get(1));
            }
        }
        return d;
    }

    /** How protocol 2 pickles {@code bytes}: {@code _codecs.encode(text, 'latin1')}. */
    private static Object codecsEncode(List<Object> args) throws CheckpointException {
        if (args.size() != 2 || !(args.get(0) instanceof String text) || !(args.get(1) instanceof String enc)) {
            throw new CheckpointException("_codecs.encode expects (str, encoding)");
        }
        String e = enc.toLowerCase(java.util.Locale.ROOT).replace("-", "");
        if (e.equals("latin1") || e.equals("iso88591")) {
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }
        if (e.equals("utf8")) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        throw new CheckpointException("_codecs.encode: unsupported encoding '" + enc + "'");
    }

    private static Object single(String fn, List<Object> args) throws CheckpointException {
        if (args.size() != 1) {
            throw new CheckpointException(fn + " expects one argument, got " + args.size());
        }
        return args.get(0);
    }

    /** An immutable tuple (nulls allowed, as Python's None). */
    static List<Object> tuple(Collection<?> items) {
        return Collections.unmodifiableList(new ArrayList<>(items));
    }

    static List<Object> list(String what, Object o) throws CheckpointException {
        if (o instanceof List<?> l) {
            return Collections.unmodifiableList(l);
        }
        throw new CheckpointException(what + ": expected a tuple or list, got " + describe(o));
    }

    private static Collection<Object> iterable(String what, Object o) throws CheckpointException {
        if (o instanceof List<?> l) {
            return Collections.unmodifiableList(l);
        }
        if (o instanceof Set<?> s) {
            return Collections.unmodifiableSet(s);
        }
        throw new CheckpointException(what + ": expected an iterable, got " + describe(o));
    }

    static long toLong(String what, Object o) throws CheckpointException {
        if (o instanceof Long l) {
            return l;
        }
        if (o instanceof Integer i) {
            return i;
        }
        if (o instanceof BigInteger b && b.bitLength() < 64) {
            return b.longValue();
        }
        throw new CheckpointException(what + ": expected an integer, got " + describe(o));
    }

    private static long[] longs(String what, Object o) throws CheckpointException {
        List<Object> l = list(what, o);
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = toLong(what, l.get(i));
        }
        return out;
    }

    /** Little-endian two's complement, as {@code pickle.decode_long}; a Long where it fits. */
    static Object longFromBytes(byte[] le) {
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        return narrow(new BigInteger(be));
    }

    static Object narrow(BigInteger b) {
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }

    static Object textInt(String s) {
        String t = s.trim();
        if (t.equals("01")) {
            return Boolean.TRUE;
        }
        if (t.equals("00")) {
            return Boolean.FALSE;
        }
        return narrow(new BigInteger(t));
    }

    static Object textLong(String s) {
        String t = s.trim();
        return narrow(new BigInteger(t.endsWith("L") ? t.substring(0, t.length() - 1) : t));
    }

    /** A short description of a pickled value for messages (its type, never its content). */
    static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Function f) {
            return "function " + f.name();
        }
        if (o instanceof StorageClass s) {
            return "storage class " + s.name();
        }
        if (o instanceof TensorRef) {
            return "tensor";
        }
        if (o instanceof List<?> l) {
            return "tuple/list of " + l.size();
        }
        if (o instanceof Map<?, ?> m) {
            return "dict of " + m.size();
        }
        return o.getClass().getSimpleName();
    }
}
