package org.salistream.datasets.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The order in which {@code eval_engine_vps} sorts the ground-truth files of a case before dropping the
 * first and last one. It first tries {@code (int(case), int(name.rstrip('.png')))} — numeric names such as
 * {@code 1.png .. 12.png}; when any name is not an integer it falls back to SUN-SEG's naming,
 * {@code (case number, sub-case number, the number after "_a", the number after "_image")} for
 * {@code caseN[_M]/..._aK_..._imageJ.png}. Where both fail the toolbox raises; here the names are then
 * sorted lexicographically instead (a deliberate, documented tolerance). Ties keep lexicographic order
 * (the toolbox keeps the file system's listing order, which is unspecified).
 */
final class ToolboxFrameOrder {

    private static final Pattern PY_INT = Pattern.compile("[+-]?\\d+(_\\d+)*");

    private ToolboxFrameOrder() {}

    /** The file names of one case in the toolbox's order. */
    static List<String> sort(String caseName, List<String> fileNames) {
        List<String> names = new ArrayList<>(fileNames);
        names.sort(Comparator.naturalOrder());
        List<long[]> keys = new ArrayList<>();
        boolean numeric = pyInt(caseName) != null;
        for (String n : names) {
            Long v = pyInt(rstrip(n, ".png"));
            if (v == null) {
                numeric = false;
                break;
            }
            keys.add(new long[] {v});
        }
        if (!numeric) {
            keys.clear();
            for (String n : names) {
                long[] k = sunSegKey(caseName, n);
                if (k == null) {
                    return names; // the toolbox would fail here; lexicographic order instead
                }
                keys.add(k);
            }
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            idx.add(i);
        }
        idx.sort((a, b) -> {
            long[] ka = keys.get(a);
            long[] kb = keys.get(b);
            for (int i = 0; i < ka.length; i++) {
                int c = Long.compare(ka[i], kb[i]);
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(a, b); // stable
        });
        List<String> out = new ArrayList<>(names.size());
        for (int i : idx) {
            out.add(names.get(i));
        }
        return out;
    }

    private static long[] sunSegKey(String caseName, String name) {
        String caseNum = part(part(caseName, "case", 1), "_", 0);
        Long c = caseNum == null ? null : pyInt(caseNum);
        String[] caseParts = caseName.split("_", -1);
        Long sub = caseParts.length > 1 ? pyInt(caseParts[1]) : Long.valueOf(0);
        String aPart = part(part(name, "_a", 1), "_", 0);
        Long a = aPart == null ? null : pyInt(aPart);
        String imgPart = part(part(name, "_image", 1), ".png", 0);
        Long img = imgPart == null ? null : pyInt(imgPart);
        if (c == null || sub == null || a == null || img == null) {
            return null;
        }
        return new long[] {c, sub, a, img};
    }

    /** Python's {@code s.split(sep)[index]}, or null when there is no such part. */
    private static String part(String s, String sep, int index) {
        if (s == null) {
            return null;
        }
        int start = 0;
        for (int i = 0; i < index; i++) {
            int at = s.indexOf(sep, start);
            if (at < 0) {
                return null;
            }
            start = at + sep.length();
        }
        int end = s.indexOf(sep, start);
        return end < 0 ? s.substring(start) : s.substring(start, end);
    }

    /** Python's {@code str.rstrip(chars)}: drops trailing characters that are in {@code chars}. */
    static String rstrip(String s, String chars) {
        int end = s.length();
        while (end > 0 && chars.indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(0, end);
    }

    /** Python's {@code int(s)} for plain decimal text (surrounding blanks allowed), else null. */
    static Long pyInt(String s) {
        String t = s.strip();
        if (!PY_INT.matcher(t).matches()) {
            return null;
        }
        try {
            return Long.parseLong(t.replace("_", "").replace("+", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
