package org.salistream.kafka.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.salistream.kafka.Topics;

/**
 * Who may do what on a secured SALI Stream cluster, in one definition: the embedded broker's ACLs
 * ({@code sali broker --secure}) and the Strimzi {@code KafkaUser} manifests (checked equal by the k8s
 * test) both come from here. Least privilege per role:
 * <ul>
 *   <li>{@value #GATEWAY}: the hospital video gateway (or a replay) writes {@code frames}, nothing else;</li>
 *   <li>{@value #PIPELINE}: the segmentation job reads {@code frames} with its consumer group, writes
 *       {@code masks}, {@code alerts} and {@code frames.dlq} in transactions under its transactional-id
 *       prefix, and may describe the four topics' configs (the start-up check);</li>
 *   <li>{@value #VIEWER}: screens and dashboards read {@code masks} and {@code alerts}, never frames;</li>
 *   <li>{@value #ADMIN}: a super user for {@code sali topics}; no ACLs needed.</li>
 * </ul>
 */
public final class AccessPolicy {

    /** The gateway user. */
    public static final String GATEWAY = "gateway";
    /** The segmentation job's user. */
    public static final String PIPELINE = "pipeline";
    /** The read-only results user. */
    public static final String VIEWER = "viewer";
    /** The super user. */
    public static final String ADMIN = "admin";
    /** The job's consumer group and transactional-id prefix by default (the job's {@code kafka.group-id}). */
    public static final String PIPELINE_GROUP = "sali-segmentation";
    /** Consumer groups a viewer may use start with this. */
    public static final String VIEWER_GROUP_PREFIX = "sali-viewer";

    /**
     * One permission.
     *
     * @param type       topic, group or transactional id
     * @param name       the resource's name, or its prefix
     * @param pattern    {@link PatternType#LITERAL} or {@link PatternType#PREFIXED}
     * @param operations what is allowed on it
     */
    public record Grant(ResourceType type, String name, PatternType pattern, List<AclOperation> operations) {
        /** Validates and copies. */
        public Grant {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(pattern, "pattern");
            operations = List.copyOf(operations);
        }
    }

    /**
     * A SCRAM user and its grants.
     *
     * @param name      the user name (principal {@code User:<name>})
     * @param superUser whether it bypasses ACLs (the broker's {@code super.users})
     * @param grants    its permissions (none for a super user)
     */
    public record User(String name, boolean superUser, List<Grant> grants) {
        /** Validates and copies. */
        public User {
            Objects.requireNonNull(name, "name");
            grants = List.copyOf(grants);
        }

        /** The grants as Kafka ACL bindings, allowed from any host. */
        public List<AclBinding> aclBindings() {
            List<AclBinding> bindings = new ArrayList<>();
            for (Grant g : grants) {
                for (AclOperation op : g.operations()) {
                    bindings.add(new AclBinding(
                            new ResourcePattern(g.type(), g.name(), g.pattern()),
                            new AccessControlEntry("User:" + name, "*", op, AclPermissionType.ALLOW)));
                }
            }
            return bindings;
        }
    }

    private AccessPolicy() {}

    /** The four users for the contract's topic names and the default group and transactional-id prefix. */
    public static List<User> defaults() {
        return users(Topics.FRAMES, Topics.MASKS, Topics.ALERTS, Topics.FRAMES_DLQ, PIPELINE_GROUP, PIPELINE_GROUP);
    }

    /** The four users for the given topic names, pipeline consumer group and transactional-id prefix. */
    public static List<User> users(
            String frames,
            String masks,
            String alerts,
            String dlq,
            String pipelineGroup,
            String transactionalIdPrefix) {
        List<AclOperation> write = List.of(AclOperation.WRITE, AclOperation.DESCRIBE);
        List<AclOperation> read = List.of(AclOperation.READ, AclOperation.DESCRIBE);
        User gateway = new User(GATEWAY, false, List.of(topic(frames, write)));
        User pipeline = new User(
                PIPELINE,
                false,
                List.of(
                        topic(frames, List.of(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS)),
                        topic(masks, List.of(AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS)),
                        topic(
                                alerts,
                                List.of(AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS)),
                        topic(dlq, List.of(AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS)),
                        new Grant(ResourceType.GROUP, pipelineGroup, PatternType.PREFIXED, List.of(AclOperation.READ)),
                        new Grant(ResourceType.TRANSACTIONAL_ID, transactionalIdPrefix, PatternType.PREFIXED, write)));
        User viewer = new User(
                VIEWER,
                false,
                List.of(
                        topic(masks, read),
                        topic(alerts, read),
                        new Grant(
                                ResourceType.GROUP,
                                VIEWER_GROUP_PREFIX,
                                PatternType.PREFIXED,
                                List.of(AclOperation.READ))));
        User admin = new User(ADMIN, true, List.of());
        return List.of(gateway, pipeline, viewer, admin);
    }

    private static Grant topic(String name, List<AclOperation> operations) {
        return new Grant(ResourceType.TOPIC, name, PatternType.LITERAL, operations);
    }
}
