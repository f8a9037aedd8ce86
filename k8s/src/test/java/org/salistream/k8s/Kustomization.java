package org.salistream.k8s;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * What {@code kustomize build DIR} makes of the manifests, for the parts of kustomize this repository uses
 * (kubectl and kustomize are not installed here): {@code resources} (files and folders with their own
 * kustomization), {@code namespace}, {@code patches} (strategic merge, matched by the patch's kind and
 * name or by a {@code target} kind), {@code images} (name, newName, newTag) on pod containers and on the
 * fields that {@code configurations} name. Strategic merge follows Kubernetes: maps merge, a null deletes,
 * lists of named items merge by name in built-in kinds, other lists (and every list of a custom resource,
 * which has no merge keys) are replaced. Anything else in a kustomization fails the build, so that the test
 * never checks something kustomize would not produce.
 */
final class Kustomization {

    private static final List<String> KNOWN =
            List.of("apiVersion", "kind", "namespace", "resources", "patches", "images", "configurations");

    private Kustomization() {}

    /** The resources a kustomization folder builds to, as YAML trees. */
    static List<Map<String, Object>> build(Path dir) throws IOException {
        return build(dir, new ArrayList<>());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> build(Path dir, List<Map<String, Object>> imageFields) throws IOException {
        Map<String, Object> k =
                (Map<String, Object>) loadAll(dir.resolve("kustomization.yaml")).get(0);
        for (String key : k.keySet()) {
            if (!KNOWN.contains(key)) {
                throw new IllegalArgumentException(
                        dir + "/kustomization.yaml: '" + key + "' is not supported by this check");
            }
        }
        for (Object c : (List<Object>) k.getOrDefault("configurations", List.of())) {
            Map<String, Object> config =
                    (Map<String, Object>) loadAll(dir.resolve((String) c)).get(0);
            imageFields.addAll((List<Map<String, Object>>) config.getOrDefault("images", List.of()));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object r : (List<Object>) k.getOrDefault("resources", List.of())) {
            Path p = dir.resolve((String) r).normalize();
            if (Files.isDirectory(p)) {
                out.addAll(build(p, imageFields));
            } else {
                loadAll(p).forEach(doc -> out.add((Map<String, Object>) doc));
            }
        }
        for (Object patchEntry : (List<Object>) k.getOrDefault("patches", List.of())) {
            Map<String, Object> entry = (Map<String, Object>) patchEntry;
            List<Object> docs = loadAll(dir.resolve((String) entry.get("path")));
            if (docs.size() != 1) {
                throw new IllegalArgumentException(
                        entry.get("path") + ": kustomize takes one patch per file under patches");
            }
            Map<String, Object> patch = (Map<String, Object>) docs.get(0);
            Map<String, Object> target = (Map<String, Object>) entry.get("target");
            int applied = 0;
            for (Map<String, Object> res : out) {
                boolean hit = target == null
                        ? Objects.equals(res.get("kind"), patch.get("kind")) && Objects.equals(name(res), name(patch))
                        : Objects.equals(res.get("kind"), target.get("kind"))
                                && (target.get("name") == null || Objects.equals(name(res), target.get("name")));
                if (hit) {
                    Map<String, Object> body = new LinkedHashMap<>(patch);
                    body.remove("metadata"); // the target's own name and namespace stay
                    merge(res, body, isBuiltIn(res));
                    applied++;
                }
            }
            if (applied == 0) {
                throw new IllegalArgumentException(dir + ": patch " + entry.get("path") + " matches no resource");
            }
        }
        for (Object i : (List<Object>) k.getOrDefault("images", List.of())) {
            applyImage(out, (Map<String, Object>) i, imageFields);
        }
        if (k.get("namespace") != null) {
            for (Map<String, Object> res : out) {
                if (!"Namespace".equals(res.get("kind"))) {
                    ((Map<String, Object>) res.computeIfAbsent("metadata", x -> new LinkedHashMap<>()))
                            .put("namespace", k.get("namespace"));
                }
            }
        }
        return out;
    }

    /** The documents of a YAML file (empty documents skipped). */
    static List<Object> loadAll(Path file) throws IOException {
        List<Object> docs = new ArrayList<>();
        for (Object d : new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(file))) {
            if (d != null) {
                docs.add(d);
            }
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    static String name(Map<String, Object> resource) {
        Object metadata = resource.get("metadata");
        return metadata == null ? null : (String) ((Map<String, Object>) metadata).get("name");
    }

    private static boolean isBuiltIn(Map<String, Object> resource) {
        String apiVersion = String.valueOf(resource.get("apiVersion"));
        return !apiVersion.contains(".") || apiVersion.contains(".k8s.io/");
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> patch, boolean mergeNamedLists) {
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            Object old = into.get(e.getKey());
            Object val = e.getValue();
            if (val == null) {
                into.remove(e.getKey());
            } else if (old instanceof Map && val instanceof Map) {
                merge((Map<String, Object>) old, (Map<String, Object>) val, mergeNamedLists);
            } else if (mergeNamedLists
                    && old instanceof List
                    && val instanceof List
                    && isNamedList((List<Object>) val)) {
                mergeByName((List<Object>) old, (List<Object>) val);
            } else {
                into.put(e.getKey(), copy(val));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void mergeByName(List<Object> into, List<Object> patch) {
        for (Object p : patch) {
            Map<String, Object> item = (Map<String, Object>) p;
            Map<String, Object> existing = null;
            for (Object o : into) {
                if (o instanceof Map && Objects.equals(((Map<String, Object>) o).get("name"), item.get("name"))) {
                    existing = (Map<String, Object>) o;
                }
            }
            if (existing == null) {
                into.add(copy(item));
            } else {
                merge(existing, item, true);
            }
        }
    }

    private static boolean isNamedList(List<Object> list) {
        return !list.isEmpty() && list.stream().allMatch(o -> o instanceof Map<?, ?> m && m.get("name") != null);
    }

    @SuppressWarnings("unchecked")
    private static <T> T copy(T value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            m.forEach((k, v) -> c.put((String) k, copy(v)));
            return (T) c;
        }
        if (value instanceof List<?> l) {
            List<Object> c = new ArrayList<>();
            l.forEach(v -> c.add(copy(v)));
            return (T) c;
        }
        return value;
    }

    /** kustomize's images: containers of pod templates, and the fields of {@code configurations}. */
    @SuppressWarnings("unchecked")
    private static void applyImage(
            List<Map<String, Object>> resources, Map<String, Object> image, List<Map<String, Object>> fields) {
        String name = (String) image.get("name");
        for (Map<String, Object> res : resources) {
            for (Map<String, Object> f : fields) {
                if (Objects.equals(f.get("kind"), res.get("kind"))) {
                    String[] path = ((String) f.get("path")).split("/");
                    Map<String, Object> parent = res;
                    for (int i = 0; i < path.length - 1 && parent != null; i++) {
                        parent = (Map<String, Object>) parent.get(path[i]);
                    }
                    if (parent != null && parent.get(path[path.length - 1]) instanceof String s) {
                        parent.put(path[path.length - 1], rewrite(s, name, image));
                    }
                }
            }
            for (Map<String, Object> container : Manifests.containers(res)) {
                if (container.get("image") instanceof String s) {
                    container.put("image", rewrite(s, name, image));
                }
            }
        }
    }

    private static String rewrite(String ref, String name, Map<String, Object> image) {
        int colon = ref.lastIndexOf(':');
        String repo = colon > ref.lastIndexOf('/') ? ref.substring(0, colon) : ref;
        String tag = colon > ref.lastIndexOf('/') ? ref.substring(colon + 1) : null;
        if (!repo.equals(name)) {
            return ref;
        }
        String newRepo = image.get("newName") != null ? (String) image.get("newName") : repo;
        String newTag = image.get("newTag") != null ? String.valueOf(image.get("newTag")) : tag;
        return newTag == null ? newRepo : newRepo + ":" + newTag;
    }
}
