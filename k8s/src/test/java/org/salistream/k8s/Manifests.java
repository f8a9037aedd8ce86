package org.salistream.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Navigation in built manifests (YAML trees): resources by kind and name, pod specs, containers, fields. */
final class Manifests {

    private Manifests() {}

    /** The resources of a kind. */
    static List<Map<String, Object>> ofKind(List<Map<String, Object>> resources, String kind) {
        return resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
    }

    /** The one resource of a kind and name, or an assertion error naming what is there. */
    static Map<String, Object> one(List<Map<String, Object>> resources, String kind, String name) {
        return resources.stream()
                .filter(r -> kind.equals(r.get("kind")) && Objects.equals(name, Kustomization.name(r)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " '" + name + "' among "
                        + ofKind(resources, kind).stream()
                                .map(Kustomization::name)
                                .toList()));
    }

    /** Whether a resource of that kind and name exists. */
    static boolean has(List<Map<String, Object>> resources, String kind, String name) {
        return resources.stream()
                .anyMatch(r -> kind.equals(r.get("kind")) && Objects.equals(name, Kustomization.name(r)));
    }

    /** A field by its path of keys, {@code /}-separated (keys may hold dots), or null. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object tree, String path) {
        Object o = tree;
        for (String key : path.split("/")) {
            if (!(o instanceof Map)) {
                return null;
            }
            o = ((Map<String, Object>) o).get(key);
        }
        return (T) o;
    }

    /** The pod specs a resource makes: a workload's template, or a FlinkDeployment's three pod templates. */
    static List<Map<String, Object>> podSpecs(Map<String, Object> resource) {
        List<Map<String, Object>> specs = new ArrayList<>();
        for (String path : List.of(
                "spec/template/spec",
                "spec/podTemplate/spec",
                "spec/jobManager/podTemplate/spec",
                "spec/taskManager/podTemplate/spec")) {
            Map<String, Object> s = at(resource, path);
            if (s != null) {
                specs.add(s);
            }
        }
        return specs;
    }

    /** The containers (and init containers) of every pod spec of a resource. */
    static List<Map<String, Object>> containers(Map<String, Object> resource) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> spec : podSpecs(resource)) {
            out.addAll(Manifests.<List<Map<String, Object>>>listAt(spec, "containers"));
            out.addAll(Manifests.<List<Map<String, Object>>>listAt(spec, "initContainers"));
        }
        return out;
    }

    /** The volumes of every pod spec of a resource. */
    static List<Map<String, Object>> volumes(Map<String, Object> resource) {
        List<Map<String, Object>> out = new ArrayList<>();
        podSpecs(resource).forEach(s -> out.addAll(Manifests.<List<Map<String, Object>>>listAt(s, "volumes")));
        return out;
    }

    /** A list field, empty when absent. */
    @SuppressWarnings("unchecked")
    static <T extends List<?>> T listAt(Object tree, String path) {
        Object o = at(tree, path);
        return (T) (o == null ? List.of() : o);
    }

    /** The mount path of the volume of a resource's pods that shows a given Secret. */
    static String secretMountPath(Map<String, Object> resource, String secretName) {
        String volume = volumes(resource).stream()
                .filter(v -> secretName.equals(at(v, "secret/secretName")))
                .map(v -> (String) v.get("name"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume of secret " + secretName));
        return containers(resource).stream()
                .flatMap(c -> Manifests.<List<Map<String, Object>>>listAt(c, "volumeMounts").stream())
                .filter(m -> volume.equals(m.get("name")))
                .map(m -> (String) m.get("mountPath"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("volume " + volume + " is not mounted"));
    }
}
