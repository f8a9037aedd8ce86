package org.salistream.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.salistream.k8s.Manifests.at;
import static org.salistream.k8s.Manifests.listAt;
import static org.salistream.k8s.Manifests.ofKind;
import static org.salistream.k8s.Manifests.one;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.salistream.kafka.TopicSettings;
import org.salistream.kafka.Topics;
import org.salistream.kafka.security.AccessPolicy;
import org.salistream.pipeline.config.PipelineConfig;
import org.salistream.pipeline.job.SegmentationJobMain;
import org.salistream.trainer.cli.TrainCommand;
import picocli.CommandLine;

/**
 * The Kubernetes manifests as {@code kustomize build} makes them for the base and each overlay: every
 * resource parses as its Kubernetes kind with no unknown field, every reference between them resolves, and
 * what they say about the project equals the project's own definitions: the topics ({@link TopicSettings}),
 * the users and ACLs ({@link AccessPolicy}), the job's configuration ({@link PipelineConfig}) and the
 * trainer's command line ({@link TrainCommand}).
 */
class ManifestsTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Set<String> CUSTOM_KINDS =
            Set.of("FlinkDeployment", "Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser", "PodMonitor");

    private static List<Map<String, Object>> build(String dir) throws Exception {
        return Kustomization.build(Path.of(dir));
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/gpu"})
    void everyResourceParsesAsItsKindWithNoUnknownField(String dir) throws Exception {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Map<String, Object> r : build(dir)) {
            String id = r.get("kind") + "/" + Kustomization.name(r);
            assertTrue(seen.add(id), "twice: " + id);
            HasMetadata typed = SERIALIZATION.unmarshal(SERIALIZATION.asJson(r), HasMetadata.class);
            assertNotNull(typed.getMetadata().getName(), id);
            if (!"Namespace".equals(r.get("kind"))) {
                assertEquals("sali", typed.getMetadata().getNamespace(), id);
            }
            if (CUSTOM_KINDS.contains(String.valueOf(r.get("kind")))) {
                assertTrue(typed instanceof GenericKubernetesResource, id);
            } else {
                assertFalse(
                        typed instanceof GenericKubernetesResource, id + " is not a kind the Kubernetes model knows");
                unknownFields(typed, id, problems);
            }
        }
        assertEquals(List.of(), problems, "fields the Kubernetes model does not know (typos?)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/gpu"})
    void everyReferenceResolves(String dir) throws Exception {
        List<Map<String, Object>> all = build(dir);
        Map<String, Set<String>> secretKeys = new TreeMap<>();
        for (Map<String, Object> s : ofKind(all, "Secret")) {
            Set<String> keys = new HashSet<>(
                    Manifests.<Map<String, Object>>at(s, "stringData") == null
                            ? Set.of()
                            : Manifests.<Map<String, Object>>at(s, "stringData").keySet());
            secretKeys.put(Kustomization.name(s), keys);
        }
        // Secrets the Strimzi operators make: one per KafkaUser, the cluster CA certificate per Kafka.
        ofKind(all, "KafkaUser")
                .forEach(u -> secretKeys.put(Kustomization.name(u), Set.of("password", "sasl.jaas.config")));
        ofKind(all, "Kafka")
                .forEach(k -> secretKeys.put(
                        Kustomization.name(k) + "-cluster-ca-cert", Set.of("ca.crt", "ca.p12", "ca.password")));

        for (Map<String, Object> w : all) {
            if (Manifests.podSpecs(w).isEmpty()) {
                continue;
            }
            String id = w.get("kind") + "/" + Kustomization.name(w);
            Set<String> volumeNames = new HashSet<>();
            for (Map<String, Object> v : Manifests.volumes(w)) {
                volumeNames.add((String) v.get("name"));
                String cm = at(v, "configMap/name");
                String secret = at(v, "secret/secretName");
                String claim = at(v, "persistentVolumeClaim/claimName");
                assertTrue(cm == null || Manifests.has(all, "ConfigMap", cm), id + ": no ConfigMap " + cm);
                assertTrue(secret == null || secretKeys.containsKey(secret), id + ": no Secret " + secret);
                assertTrue(
                        claim == null || Manifests.has(all, "PersistentVolumeClaim", claim), id + ": no PVC " + claim);
            }
            for (Map<String, Object> c : Manifests.containers(w)) {
                for (Map<String, Object> m : Manifests.<List<Map<String, Object>>>listAt(c, "volumeMounts")) {
                    assertTrue(
                            volumeNames.contains((String) m.get("name")),
                            id + ": mount of an undeclared volume " + m.get("name"));
                }
                for (Map<String, Object> e : Manifests.<List<Map<String, Object>>>listAt(c, "env")) {
                    String secret = at(e, "valueFrom/secretKeyRef/name");
                    if (secret != null) {
                        assertTrue(
                                secretKeys.getOrDefault(secret, Set.of()).contains((String)
                                        at(e, "valueFrom/secretKeyRef/key")),
                                id + ": no key " + at(e, "valueFrom/secretKeyRef/key") + " in Secret " + secret);
                    }
                }
                String image = (String) c.get("image");
                assertTrue(
                        image == null
                                || image.startsWith("registry.example/sali-stream")
                                || image.startsWith("bitnami/minio:"),
                        id + ": unexpected image " + image);
            }
            for (String sa : serviceAccounts(w)) {
                assertTrue(Manifests.has(all, "ServiceAccount", sa), id + ": no ServiceAccount " + sa);
            }
        }
        for (Map<String, Object> b : ofKind(all, "RoleBinding")) {
            assertTrue(
                    Manifests.has(all, (String) at(b, "roleRef/kind"), at(b, "roleRef/name")),
                    "role of " + Kustomization.name(b));
            for (Map<String, Object> s : Manifests.<List<Map<String, Object>>>listAt(b, "subjects")) {
                assertTrue(Manifests.has(all, (String) s.get("kind"), (String) s.get("name")), "subject " + s);
            }
        }
        for (String kind : List.of("KafkaTopic", "KafkaUser", "KafkaNodePool")) {
            for (Map<String, Object> r : ofKind(all, kind)) {
                assertTrue(
                        Manifests.has(all, "Kafka", label(r, "strimzi.io/cluster")),
                        kind + " " + Kustomization.name(r) + " names no Kafka in strimzi.io/cluster");
            }
        }
        for (Map<String, Object> svc : ofKind(all, "Service")) {
            Map<String, Object> selector = at(svc, "spec/selector");
            assertTrue(
                    ofKind(all, "Deployment").stream()
                            .anyMatch(d -> labelsMatch(at(d, "spec/template/metadata/labels"), selector)),
                    "Service " + Kustomization.name(svc) + " selects no pods");
        }
        for (Map<String, Object> d : ofKind(all, "Deployment")) {
            assertTrue(
                    labelsMatch(at(d, "spec/template/metadata/labels"), at(d, "spec/selector/matchLabels")),
                    "Deployment " + Kustomization.name(d) + " does not select its own pods");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/gpu"})
    void theKafkaTopicsAreTheWantedTopicSettings(String dir) throws Exception {
        List<Map<String, Object>> all = build(dir);
        TopicSettings wanted = dir.endsWith("dev")
                ? TopicSettings.defaults()
                : TopicSettings.defaults().withReplication(3, 2);
        Map<String, Map<String, Object>> byTopic = new TreeMap<>();
        for (Map<String, Object> t : ofKind(all, "KafkaTopic")) {
            String name = at(t, "spec/topicName") != null ? at(t, "spec/topicName") : Kustomization.name(t);
            byTopic.put(name, t);
        }
        assertEquals(
                new TreeMap<>(Map.of(Topics.FRAMES, 0, Topics.MASKS, 0, Topics.ALERTS, 0, Topics.FRAMES_DLQ, 0))
                        .keySet(),
                byTopic.keySet());
        for (String topic : Topics.ALL) {
            Map<String, Object> t = byTopic.get(topic);
            assertEquals(
                    wanted.partitionsOf(topic), ((Number) at(t, "spec/partitions")).intValue(), topic + " partitions");
            assertEquals(
                    (int) wanted.replicationFactor(),
                    ((Number) at(t, "spec/replicas")).intValue(),
                    topic + " replicas");
            Map<String, String> config = new TreeMap<>();
            Manifests.<Map<String, Object>>at(t, "spec/config").forEach((k, v) -> config.put(k, String.valueOf(v)));
            assertEquals(
                    new TreeMap<>(wanted.configsFor(topic)),
                    config,
                    topic + " config (TopicSettings is the definition)");
        }
        Map<String, Object> kafkaConfig = at(one(all, "Kafka", "sali-kafka"), "spec/kafka/config");
        assertEquals(
                String.valueOf(wanted.minInsyncReplicas()), String.valueOf(kafkaConfig.get("min.insync.replicas")));
        assertEquals("false", String.valueOf(kafkaConfig.get("auto.create.topics.enable")));
        int brokers = ((Number) at(one(all, "KafkaNodePool", "dual-role"), "spec/replicas")).intValue();
        assertTrue(
                wanted.replicationFactor() <= brokers,
                "replication " + wanted.replicationFactor() + " on " + brokers + " brokers");
        assertTrue(((Number) kafkaConfig.get("message.max.bytes")).intValue() >= wanted.maxDeadLetterBytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/gpu"})
    void theKafkaUsersAreTheAccessPolicy(String dir) throws Exception {
        List<Map<String, Object>> all = build(dir);
        Map<String, List<String>> actual = new TreeMap<>();
        for (Map<String, Object> u : ofKind(all, "KafkaUser")) {
            assertEquals("scram-sha-512", at(u, "spec/authentication/type"), Kustomization.name(u));
            List<String> grants = new ArrayList<>();
            for (Map<String, Object> acl : Manifests.<List<Map<String, Object>>>listAt(u, "spec/authorization/acls")) {
                grants.add(at(acl, "resource/type") + ":" + at(acl, "resource/name") + ":"
                        + at(acl, "resource/patternType") + ":" + acl.get("operations"));
            }
            actual.put(Kustomization.name(u), grants);
        }
        Map<String, List<String>> expected = new TreeMap<>();
        List<String> superUsers = new ArrayList<>();
        for (AccessPolicy.User u : AccessPolicy.defaults()) {
            expected.put(
                    u.name(), u.grants().stream().map(ManifestsTest::strimzi).toList());
            if (u.superUser()) {
                superUsers.add(u.name());
            }
        }
        assertEquals(expected, actual, "KafkaUser ACLs (AccessPolicy is the definition)");
        Map<String, Object> kafka = one(all, "Kafka", "sali-kafka");
        assertEquals(superUsers, at(kafka, "spec/kafka/authorization/superUsers"));
        assertEquals("simple", at(kafka, "spec/kafka/authorization/type"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/gpu"})
    void theJobsConfigurationIsValidAndMatchesTheCluster(String dir) throws Exception {
        List<Map<String, Object>> all = build(dir);
        Map<String, Object> flink = one(all, "FlinkDeployment", "sali-segmentation");
        String propertiesText = at(one(all, "ConfigMap", "sali-pipeline"), "data/pipeline.properties");
        Path file = Files.createTempFile("pipeline", ".properties");
        Files.writeString(file, propertiesText);
        PipelineConfig config = PipelineConfig.load(file, Map.of());
        Files.delete(file);

        Map<String, Object> listener = Manifests.<List<Map<String, Object>>>listAt(
                        one(all, "Kafka", "sali-kafka"), "spec/kafka/listeners")
                .get(0);
        assertEquals(true, listener.get("tls"));
        assertEquals(
                "sali-kafka-kafka-bootstrap.sali.svc:" + listener.get("port"),
                config.kafkaConnection().bootstrapServers());
        assertEquals("SASL_SSL", config.kafkaConnection().securityProtocol());
        assertEquals("SCRAM-SHA-512", config.kafkaConnection().properties().get("sasl.mechanism"));
        assertEquals(
                "${dir:" + Manifests.secretMountPath(flink, AccessPolicy.PIPELINE) + ":sasl.jaas.config}",
                config.kafkaConnection().properties().get("sasl.jaas.config"),
                "the pipeline user's Secret is mounted where the config reads it");
        assertEquals(
                Manifests.secretMountPath(flink, "sali-kafka-cluster-ca-cert") + "/ca.crt",
                config.kafkaConnection().properties().get("ssl.truststore.location"));
        assertFalse(propertiesText.toLowerCase().contains("password="), "no password in a ConfigMap");
        assertEquals(AccessPolicy.PIPELINE_GROUP, config.get("kafka.group-id"));
        assertEquals(AccessPolicy.PIPELINE_GROUP, config.get("kafka.transactional-id-prefix"));
        assertFalse(config.createMissingTopics(), "the KafkaTopics make the topics; the job must not");

        Map<String, Object> conf = at(flink, "spec/flinkConfiguration");
        assertEquals(conf.get("execution.checkpointing.dir"), config.checkpointUri());
        assertTrue(config.checkpointUri().startsWith("s3://"));
        assertTrue(String.valueOf(conf.get("execution.checkpointing.savepoint-dir"))
                .startsWith("s3://"));
        assertEquals("kubernetes", conf.get("high-availability.type"));
        assertTrue(String.valueOf(conf.get("high-availability.storageDir")).startsWith("s3://"));
        assertEquals(config.parallelism(), ((Number) at(flink, "spec/job/parallelism")).intValue());
        int slots = Integer.parseInt(String.valueOf(conf.get("taskmanager.numberOfTaskSlots")));
        assertTrue(
                config.parallelism() <= slots * ((Number) at(flink, "spec/taskManager/replicas")).intValue(),
                "enough slots");
        assertEquals(SegmentationJobMain.class.getName(), at(flink, "spec/job/entryClass"));
        List<Object> args = listAt(flink, "spec/job/args");
        String configMount = Manifests.containers(flink).stream()
                .flatMap(c -> Manifests.<List<Map<String, Object>>>listAt(c, "volumeMounts").stream())
                .filter(m -> "config".equals(m.get("name")))
                .map(m -> (String) m.get("mountPath"))
                .findFirst()
                .orElseThrow();
        assertEquals(List.of("--config", configMount + "/pipeline.properties"), args);
        assertTrue(
                String.valueOf(conf.get("env.java.opts.all")).contains("DirectoryConfigProvider"),
                "the dir config provider is allowed");
        if (dir.equals("base")) {
            assertTrue(((Number) at(flink, "spec/jobManager/replicas")).intValue() >= 2, "a standby JobManager");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/gpu"})
    void prometheusScrapesFlinksReporter(String dir) throws Exception {
        List<Map<String, Object>> all = build(dir);
        Map<String, Object> flink = one(all, "FlinkDeployment", "sali-segmentation");
        Map<String, Object> conf = at(flink, "spec/flinkConfiguration");
        assertEquals(
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                conf.get("metrics.reporter.prom.factory.class"));
        String port = String.valueOf(conf.get("metrics.reporter.prom.port"));
        Map<String, Object> monitor = one(all, "PodMonitor", "sali-flink");
        assertTrue(
                labelsMatch(at(flink, "spec/podTemplate/metadata/labels"), at(monitor, "spec/selector/matchLabels")),
                "the PodMonitor selects the Flink pods");
        String portName = (String) Manifests.<List<Map<String, Object>>>listAt(monitor, "spec/podMetricsEndpoints")
                .get(0)
                .get("port");
        Map<String, Object> containerPort = Manifests.containers(flink).stream()
                .flatMap(c -> Manifests.<List<Map<String, Object>>>listAt(c, "ports").stream())
                .filter(p -> portName.equals(p.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no port " + portName));
        assertEquals(port, String.valueOf(containerPort.get("containerPort")));
        assertEquals(port, annotation(flink, "prometheus.io/port"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/gpu"})
    void gpusOnlyInTheGpuOverlayWithItsCudaImages(String dir) throws Exception {
        List<Map<String, Object>> all = build(dir);
        Map<String, Object> flink = one(all, "FlinkDeployment", "sali-segmentation");
        Map<String, Object> trainer = one(all, "Job", "sali-trainer");
        String trainerImage = (String) Manifests.containers(trainer).get(0).get("image");
        if (dir.endsWith("gpu")) {
            Map<String, Object> tm = Manifests.<List<Map<String, Object>>>listAt(
                            flink, "spec/taskManager/podTemplate/spec/containers")
                    .get(0);
            assertEquals("flink-main-container", tm.get("name"), "the operator merges its main container by this name");
            assertEquals("1", String.valueOf(limits(tm).get("nvidia.com/gpu")));
            assertEquals(
                    1,
                    Manifests.<List<Object>>listAt(flink, "spec/taskManager/podTemplate/spec/tolerations")
                            .size());
            assertEquals(
                    "1",
                    String.valueOf(limits(Manifests.containers(trainer).get(0)).get("nvidia.com/gpu")));
            assertEquals("registry.example/sali-stream:0.1.0-cu128", at(flink, "spec/image"));
            assertEquals("registry.example/sali-stream-cli:0.1.0-cu128", trainerImage);
        } else {
            assertFalse(
                    Manifests.containers(flink).stream().anyMatch(c -> limits(c).containsKey("nvidia.com/gpu")));
            assertFalse(limits(Manifests.containers(trainer).get(0)).containsKey("nvidia.com/gpu"));
            assertEquals("registry.example/sali-stream:0.1.0", at(flink, "spec/image"));
            assertEquals("registry.example/sali-stream-cli:0.1.0", trainerImage);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/gpu"})
    void theTrainerJobRunsAValidTrainCommandOnItsVolumes(String dir) throws Exception {
        Map<String, Object> job = one(build(dir), "Job", "sali-trainer");
        assertEquals("Never", at(job, "spec/template/spec/restartPolicy"));
        Map<String, Object> container = Manifests.containers(job).get(0);
        List<String> args = Manifests.<List<Object>>listAt(container, "args").stream()
                .map(String::valueOf)
                .toList();
        assertEquals("train", args.get(0));
        TrainCommand train = new TrainCommand();
        new CommandLine(train)
                .parseArgs(args.subList(1, args.size()).toArray(String[]::new)); // throws on an unknown option
        Map<String, String> mounts = new LinkedHashMap<>();
        Manifests.<List<Map<String, Object>>>listAt(container, "volumeMounts")
                .forEach(m -> mounts.put((String) m.get("mountPath"), (String) m.get("name")));
        for (String option : List.of("--data", "--out")) {
            String path = args.get(args.indexOf(option) + 1);
            assertTrue(
                    mounts.keySet().stream().anyMatch(path::startsWith),
                    option + " " + path + " is on a mounted volume " + mounts);
        }
    }

    private static String strimzi(AccessPolicy.Grant g) {
        String type = switch (g.type()) {
            case TOPIC -> "topic";
            case GROUP -> "group";
            case TRANSACTIONAL_ID -> "transactionalId";
            default -> throw new AssertionError("no Strimzi name for " + g.type());
        };
        String pattern = switch (g.pattern()) {
            case LITERAL -> "literal";
            case PREFIXED -> "prefix";
            default -> throw new AssertionError("no Strimzi name for " + g.pattern());
        };
        List<String> ops = g.operations().stream()
                .map(op -> {
                    String[] words = op.name().toLowerCase().split("_");
                    StringBuilder b = new StringBuilder();
                    for (String w : words) {
                        b.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
                    }
                    return b.toString();
                })
                .toList();
        return type + ":" + g.name() + ":" + pattern + ":" + ops;
    }

    private static List<String> serviceAccounts(Map<String, Object> workload) {
        List<String> out = new ArrayList<>();
        if (at(workload, "spec/serviceAccount") instanceof String s) {
            out.add(s);
        }
        Manifests.podSpecs(workload).forEach(s -> {
            if (s.get("serviceAccountName") instanceof String n) {
                out.add(n);
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> limits(Map<String, Object> container) {
        Map<String, Object> resources = (Map<String, Object>) container.get("resources");
        Object limits = resources == null ? null : resources.get("limits");
        return limits == null ? Map.of() : (Map<String, Object>) limits;
    }

    @SuppressWarnings("unchecked")
    private static String label(Map<String, Object> resource, String key) {
        Map<String, Object> labels = at(resource, "metadata/labels");
        return labels == null ? null : (String) labels.get(key);
    }

    @SuppressWarnings("unchecked")
    private static String annotation(Map<String, Object> flink, String key) {
        Map<String, Object> annotations = at(flink, "spec/podTemplate/metadata/annotations");
        return annotations == null ? null : String.valueOf(annotations.get(key));
    }

    private static boolean labelsMatch(Map<String, Object> labels, Map<String, Object> selector) {
        return labels != null
                && selector != null
                && !selector.isEmpty()
                && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    /** Every non-empty {@code additionalProperties} in a typed Kubernetes object: a field its kind does not have. */
    private static void unknownFields(Object o, String path, List<String> problems) throws Exception {
        if (o == null) {
            return;
        }
        if (o instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                unknownFields(l.get(i), path + "[" + i + "]", problems);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                unknownFields(e.getValue(), path + "." + e.getKey(), problems);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : o.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = getter.invoke(o);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": " + extra.keySet());
                }
            } else {
                unknownFields(value, path + "." + getter.getName().substring(3), problems);
            }
        }
    }
}
