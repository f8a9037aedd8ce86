package org.salistream.model.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small pickle virtual machine, enough for what {@code torch.save} writes (protocol 2 by default) and
 * the common opcodes of protocols 3 to 5, following CPython's {@code Lib/pickle.py} {@code _Unpickler}:
 * a value stack, a mark stack ({@code metastack}) and a memo. It builds plain Java values: {@code Long} or
 * {@code BigInteger} for ints, {@code Double}, {@code Boolean}, {@code String}, {@code byte[]}, {@code null}
 * for None, immutable {@code List}s for tuples, {@code ArrayList}, {@code LinkedHashMap}, {@code LinkedHashSet},
 * and whatever the allow-listed globals of {@link TorchGlobals} rebuild; it never loads a class or runs code
 * named by the pickle.
 */
final class PickleMachine {

    /** Resolves a persistent id (the {@code BINPERSID} argument), as {@code Unpickler.persistent_load}. */
    interface PersistentLoader {
        Object load(Object pid) throws CheckpointException;
    }

    private final byte[] in;
    private final String source;
    private final PersistentLoader persistentLoader;
    private int pos;
    private List<Object> stack = new ArrayList<>();
    private final Deque<List<Object>> metastack = new ArrayDeque<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private PickleMachine(byte[] in, String source, PersistentLoader persistentLoader) {
        this.in = in;
        this.source = source;
        this.persistentLoader = persistentLoader;
    }

    /**
     * Runs the pickle to its STOP opcode and returns the object it builds.
     *
     * @param source names the pickle in messages, e.g. {@code weights.pth!weights/data.pkl}
     * @throws CheckpointException for a corrupt or truncated pickle, an unsupported opcode or a refused global
     */
    static Object load(byte[] pickle, String source, PersistentLoader loader) throws CheckpointException {
        PickleMachine vm = new PickleMachine(pickle, source, loader);
        int opStart = 0;
        try {
            while (true) {
                opStart = vm.pos;
                int op = vm.u8();
                if (op == '.') {
                    return vm.pop();
                }
                vm.step(op);
            }
        } catch (CheckpointException e) {
            throw new CheckpointException(source + ": at byte " + opStart + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Stack underflow, a wrong type where a tuple or dict belongs, ...: all mean a corrupt pickle.
            throw new CheckpointException(
                    source + ": corrupt pickle at byte " + opStart + " (opcode 0x"
                            + Integer.toHexString(pickle[Math.min(opStart, pickle.length - 1)] & 0xff) + "): " + e,
                    e);
        }
    }

    private void step(int op) throws CheckpointException {
        switch (op) {
            case 0x80 -> { // PROTO
                int proto = u8();
                if (proto > 5) {
                    throw new CheckpointException("unsupported pickle protocol " + proto + " (2 to 5 are read)");
                }
            }
            case 0x95 -> bytes(8) /* FRAME: a length prefix only; the whole pickle is in memory */;
            case '(' -> { // MARK
                metastack.push(stack);
                stack = new ArrayList<>();
            }
            case '0' -> pop(); // POP
            case '1' -> popMark(); // POP_MARK
            case '2' -> push(peek()); // DUP
            case 'N' -> push(null);
            case 0x88 -> push(Boolean.TRUE);
            case 0x89 -> push(Boolean.FALSE);
            case 'J' -> push((long) i32());
            case 'K' -> push((long) u8());
            case 'M' -> push((long) (u8() | (u8() << 8)));
            case 0x8a -> push(TorchGlobals.longFromBytes(bytes(u8()))); // LONG1
            case 0x8b -> push(TorchGlobals.longFromBytes(bytes(size(i32())))); // LONG4
            case 'I' -> push(TorchGlobals.textInt(line())); // INT (protocol 0; 01/00 are True/False)
            case 'L' -> push(TorchGlobals.textLong(line())); // LONG (protocol 0)
            case 'F' -> push(Double.parseDouble(line())); // FLOAT (protocol 0)
            case 'G' -> push(Double.longBitsToDouble(be64())); // BINFLOAT, big-endian
            case 'X' -> push(utf8(size(u32()))); // BINUNICODE
            case 0x8c -> push(utf8(u8())); // SHORT_BINUNICODE
            case 0x8d -> push(utf8(size(u64()))); // BINUNICODE8
            case 'T' -> push(latin1(size(u32()))); // BINSTRING (Python 2 str)
            case 'U' -> push(latin1(u8())); // SHORT_BINSTRING
            case 'B' -> push(bytes(size(u32()))); // BINBYTES
            case 'C' -> push(bytes(u8())); // SHORT_BINBYTES
            case 0x8e -> push(bytes(size(u64()))); // BINBYTES8
            case 0x96 -> push(bytes(size(u64()))); // BYTEARRAY8
            case ')' -> push(TorchGlobals.tuple(List.of()));
            case 't' -> push(TorchGlobals.tuple(popMark()));
            case 0x85 -> push(tupleOf(1));
            case 0x86 -> push(tupleOf(2));
            case 0x87 -> push(tupleOf(3));
            case ']' -> push(new ArrayList<>());
            case 'l' -> push(new ArrayList<>(popMark()));
            case 'a' -> { // APPEND
                Object v = pop();
                asList(peek()).add(v);
            }
            case 'e' -> { // APPENDS
                List<Object> items = popMark();
                asList(peek()).addAll(items);
            }
            case '}' -> push(new LinkedHashMap<>());
            case 'd' -> push(dictOf(popMark(), new LinkedHashMap<>()));
            case 's' -> { // SETITEM
                Object v = pop();
                Object k = pop();
                asMap(peek()).put(k, v);
            }
            case 'u' -> { // SETITEMS
                List<Object> items = popMark();
                dictOf(items, asMap(peek()));
            }
            case 0x8f -> push(new LinkedHashSet<>()); // EMPTY_SET
            case 0x90 -> { // ADDITEMS
                List<Object> items = popMark();
                asSet(peek()).addAll(items);
            }
            case 0x91 -> push(Collections.unmodifiableSet(new LinkedHashSet<>(popMark()))); // FROZENSET
            case 'p' -> memo.put(Long.parseLong(line().trim()), peek()); // PUT
            case 'q' -> memo.put((long) u8(), peek()); // BINPUT
            case 'r' -> memo.put(u32(), peek()); // LONG_BINPUT
            case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
            case 'g' -> push(memoGet(Long.parseLong(line().trim()))); // GET
            case 'h' -> push(memoGet(u8())); // BINGET
            case 'j' -> push(memoGet(u32())); // LONG_BINGET
            case 'c' -> { // GLOBAL
                String module = line();
                String name = line();
                push(TorchGlobals.resolve(module, name));
            }
            case 0x93 -> { // STACK_GLOBAL
                Object name = pop();
                Object module = pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw new CheckpointException("STACK_GLOBAL needs two strings");
                }
                push(TorchGlobals.resolve(m, n));
            }
            case 'R' -> { // REDUCE
                List<Object> args = TorchGlobals.list("REDUCE arguments", pop());
                push(call(pop(), args));
            }
            case 0x81 -> { // NEWOBJ: cls.__new__(cls, *args); only allow-listed classes exist here
                List<Object> args = TorchGlobals.list("NEWOBJ arguments", pop());
                push(call(pop(), args));
            }
            case 0x92 -> { // NEWOBJ_EX
                Object kwargs = pop();
                List<Object> args = TorchGlobals.list("NEWOBJ_EX arguments", pop());
                if (kwargs instanceof Map<?, ?> m && !m.isEmpty()) {
                    throw new CheckpointException("NEWOBJ_EX with keyword arguments is not supported");
                }
                push(call(pop(), args));
            }
            case 'b' -> build(pop(), peek()); // BUILD
            case 'Q' -> push(persistentLoader.load(pop())); // BINPERSID
            default ->
                throw new CheckpointException("unsupported pickle opcode " + opcodeName(op)
                        + "; a torch.save state dict does not use it (protocols 2 to 5 of torch.save are read)");
        }
    }

    private Object call(Object callable, List<Object> args) throws CheckpointException {
        if (callable instanceof TorchGlobals.Function f) {
            return f.call(args);
        }
        throw new CheckpointException("cannot call " + TorchGlobals.describe(callable));
    }

    /** BUILD: {@code setstate}; only an OrderedDict's attributes (e.g. {@code _metadata}) or a tensor's state. */
    private void build(Object state, Object target) throws CheckpointException {
        if (target instanceof TorchGlobals.OrderedDict d) {
            Object dictState = state;
            if (state instanceof List<?> pair && pair.size() == 2) {
                dictState = pair.get(0); // (state, slotstate)
            }
            if (dictState instanceof Map<?, ?> m) {
                d.attributes.putAll(m);
                return;
            }
            if (dictState == null) {
                return;
            }
        } else if (target instanceof TensorRef) {
            return; // Python-side attributes of a tensor carry no weights.
        }
        throw new CheckpointException("BUILD with " + TorchGlobals.describe(state) + " on "
                + TorchGlobals.describe(target) + " is not supported");
    }

    private static Map<Object, Object> dictOf(List<Object> items, Map<Object, Object> into) throws CheckpointException {
        if (items.size() % 2 != 0) {
            throw new CheckpointException("odd number of items for a dict");
        }
        for (int i = 0; i < items.size(); i += 2) {
            into.put(items.get(i), items.get(i + 1));
        }
        return into;
    }

    private List<Object> tupleOf(int n) throws CheckpointException {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            items[i] = pop();
        }
        return TorchGlobals.tuple(java.util.Arrays.asList(items));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object o) throws CheckpointException {
        if (o instanceof ArrayList<?> l) {
            return (List<Object>) l;
        }
        throw new CheckpointException("APPEND(S) on " + TorchGlobals.describe(o) + ", not a list");
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> asMap(Object o) throws CheckpointException {
        if (o instanceof LinkedHashMap<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw new CheckpointException("SETITEM(S) on " + TorchGlobals.describe(o) + ", not a dict");
    }

    @SuppressWarnings("unchecked")
    private static Set<Object> asSet(Object o) throws CheckpointException {
        if (o instanceof LinkedHashSet<?> s) {
            return (Set<Object>) s;
        }
        throw new CheckpointException("ADDITEMS on " + TorchGlobals.describe(o) + ", not a set");
    }

    private Object memoGet(long key) throws CheckpointException {
        if (!memo.containsKey(key)) {
            throw new CheckpointException("memo key " + key + " was never stored");
        }
        return memo.get(key);
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() throws CheckpointException {
        if (stack.isEmpty()) {
            throw new CheckpointException("stack underflow (corrupt pickle)");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws CheckpointException {
        if (stack.isEmpty()) {
            throw new CheckpointException("stack underflow (corrupt pickle)");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() throws CheckpointException {
        if (metastack.isEmpty()) {
            throw new CheckpointException("no MARK to pop to (corrupt pickle)");
        }
        List<Object> items = stack;
        stack = metastack.pop();
        return items;
    }

    private int u8() throws CheckpointException {
        need(1);
        return in[pos++] & 0xff;
    }

    private int i32() throws CheckpointException {
        need(4);
        int v = (in[pos] & 0xff) | (in[pos + 1] & 0xff) << 8 | (in[pos + 2] & 0xff) << 16 | (in[pos + 3] & 0xff) << 24;
        pos += 4;
        return v;
    }

    private long u32() throws CheckpointException {
        return i32() & 0xffffffffL;
    }

    private long u64() throws CheckpointException {
        long lo = u32();
        long hi = u32();
        return lo | (hi << 32);
    }

    private long be64() throws CheckpointException {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (in[pos++] & 0xff);
        }
        return v;
    }

    private int size(long n) throws CheckpointException {
        if (n < 0 || n > in.length - pos) {
            throw new CheckpointException("a length of " + n + " bytes runs past the end of the pickle (truncated)");
        }
        return (int) n;
    }

    private byte[] bytes(int n) throws CheckpointException {
        need(n);
        byte[] b = java.util.Arrays.copyOfRange(in, pos, pos + n);
        pos += n;
        return b;
    }

    private String utf8(int n) throws CheckpointException {
        need(n);
        String s = new String(in, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    private String latin1(int n) throws CheckpointException {
        need(n);
        String s = new String(in, pos, n, StandardCharsets.ISO_8859_1);
        pos += n;
        return s;
    }

    /** A newline-terminated line (GLOBAL's module and name, the text opcodes), without the newline. */
    private String line() throws CheckpointException {
        int start = pos;
        while (pos < in.length && in[pos] != '\n') {
            pos++;
        }
        if (pos >= in.length) {
            throw new CheckpointException("unterminated text argument (truncated pickle)");
        }
        return new String(in, start, pos++ - start, StandardCharsets.UTF_8);
    }

    private void need(int n) throws CheckpointException {
        if (n < 0 || pos + (long) n > in.length) {
            throw new CheckpointException("the pickle ends early (truncated): needs " + n + " more bytes at byte " + pos
                    + " of " + in.length);
        }
    }

    private static String opcodeName(int op) {
        String hex = "0x" + Integer.toHexString(op);
        return switch (op) {
            case 'P' -> "PERSID (" + hex + ", text persistent id)";
            case 'S' -> "STRING (" + hex + ", protocol 0 text string)";
            case 'V' -> "UNICODE (" + hex + ", protocol 0 text string)";
            case 'i' -> "INST (" + hex + ")";
            case 'o' -> "OBJ (" + hex + ")";
            case 0x82, 0x83, 0x84 -> "EXT (" + hex + ", extension registry)";
            case 0x97 -> "NEXT_BUFFER (" + hex + ", out-of-band buffer)";
            case 0x98 -> "READONLY_BUFFER (" + hex + ", out-of-band buffer)";
            default -> (op >= 0x20 && op < 0x7f ? "'" + (char) op + "' (" + hex + ")" : hex);
        };
    }
}
