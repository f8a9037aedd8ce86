package org.salistream.kafka.broker.security;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.acl.AclBinding;
import org.salistream.kafka.ClientConfigs;
import org.salistream.kafka.KafkaConnection;
import org.salistream.kafka.SaliTopics;
import org.salistream.kafka.TopicAdmin;
import org.salistream.kafka.TopicSettings;
import org.salistream.kafka.broker.EmbeddedBrokerSecurity;
import org.salistream.kafka.broker.EmbeddedKafkaBroker;
import org.salistream.kafka.security.AccessPolicy;

/**
 * The material of a secured embedded broker in one folder, made once and reused by later starts: a CA,
 * the broker's certificate, one client certificate and SCRAM-SHA-512 password per {@link AccessPolicy}
 * user, and ready client files per user: {@code <user>.properties} for Java clients ({@code --kafka-config})
 * and {@code <user>.kcat.conf} for librdkafka ({@code kcat -F}). Keys, passwords and client files are
 * readable by their owner only. After the broker starts, {@link #configure} creates the users, their ACLs
 * and the topics through the broker's internal mutual-TLS listener.
 */
public final class SecureBrokerSetup {

    /** The broker certificate's common name (its principal is {@code User:CN=sali-broker}, a super user). */
    public static final String BROKER_CN = "sali-broker";

    private static final Duration CA_VALIDITY = Duration.ofDays(2 * 365);
    private static final Duration CERT_VALIDITY = Duration.ofDays(365);
    private static final int SCRAM_ITERATIONS = 8192;
    private static final String SECRETS = "secrets.properties";

    private final Path dir;
    private final Properties secrets;
    private final List<AccessPolicy.User> users;

    private SecureBrokerSetup(Path dir, Properties secrets, List<AccessPolicy.User> users) {
        this.dir = dir;
        this.secrets = secrets;
        this.users = users;
    }

    /**
     * Reuses the material in {@code dir}, or makes it (CA, certificates, passwords) when the folder has none.
     *
     * @throws IOException when the folder cannot be written, or holds only part of the material
     */
    public static SecureBrokerSetup prepare(Path dir) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        Path dirAbs = dir.toAbsolutePath();
        List<AccessPolicy.User> users = AccessPolicy.defaults();
        Path secretsFile = dirAbs.resolve(SECRETS);
        if (Files.exists(secretsFile)) {
            Properties secrets = new Properties();
            try (Reader r = Files.newBufferedReader(secretsFile)) {
                secrets.load(r);
            }
            SecureBrokerSetup setup = new SecureBrokerSetup(dirAbs, secrets, users);
            setup.requireComplete();
            return setup;
        }
        Properties secrets = new Properties();
        secrets.setProperty("keystore.password", newPassword());
        users.forEach(u -> secrets.setProperty("user." + u.name() + ".password", newPassword()));
        SecureBrokerSetup setup = new SecureBrokerSetup(dirAbs, secrets, users);
        setup.issueCertificates();
        StringBuilder text = new StringBuilder("# Passwords of the secured SALI Stream broker; keep private.\n");
        secrets.stringPropertyNames().stream()
                .sorted()
                .forEach(k -> text.append(k)
                        .append('=')
                        .append(secrets.getProperty(k))
                        .append('\n'));
        SecretFiles.write(secretsFile, text.toString());
        return setup;
    }

    /** How the broker listens with this material. */
    public EmbeddedBrokerSecurity brokerSecurity() {
        return new EmbeddedBrokerSecurity(
                dir.resolve("broker.p12"),
                keyStorePassword(),
                dir.resolve("ca.pem"),
                "CN=" + BROKER_CN,
                AccessPolicy.ADMIN);
    }

    /**
     * Creates the SCRAM users and their ACLs and the missing topics on the started broker (as its own super
     * user), writes each user's client files for its address, and waits until a user can log in.
     *
     * @return the Java client properties file of each user
     */
    public Map<String, Path> configure(EmbeddedKafkaBroker broker, TopicSettings settings, Duration timeout)
            throws IOException {
        if (!broker.isSecure()) {
            throw new IllegalArgumentException("the broker was not started with this setup's security");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(broker.superUserClientProperties())) {
            List<UserScramCredentialAlteration> credentials = new ArrayList<>();
            List<AclBinding> acls = new ArrayList<>();
            for (AccessPolicy.User u : users) {
                credentials.add(new UserScramCredentialUpsertion(
                        u.name(),
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS),
                        password(u.name())));
                acls.addAll(u.aclBindings());
            }
            admin.alterUserScramCredentials(credentials).all().get(remaining(deadline), TimeUnit.NANOSECONDS);
            admin.createAcls(acls).all().get(remaining(deadline), TimeUnit.NANOSECONDS);
            TopicAdmin.createMissing(admin, settings, SaliTopics.defaults(), Duration.ofNanos(remaining(deadline)));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new KafkaException("could not create the users, ACLs and topics of the secured broker: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while configuring the secured broker", e);
        }
        Map<String, Path> files = new LinkedHashMap<>();
        for (AccessPolicy.User u : users) {
            SecretFiles.write(
                    kcatConfig(u.name()),
                    ClientFiles.kcat(broker.bootstrapServers(), u.name(), password(u.name()), dir));
            Path file = clientProperties(u.name());
            SecretFiles.write(
                    file,
                    ClientFiles.java(broker.bootstrapServers(), u.name(), password(u.name()), keyStorePassword(), dir));
            files.put(u.name(), file);
        }
        awaitLogin(clientProperties(AccessPolicy.ADMIN), deadline);
        return files;
    }

    /** The Java client properties file of a user ({@code --kafka-config}); written by {@link #configure}. */
    public Path clientProperties(String user) {
        return dir.resolve(user + ".properties");
    }

    /** The librdkafka ({@code kcat -F}) configuration of a user; written by {@link #configure}. */
    public Path kcatConfig(String user) {
        return dir.resolve(user + ".kcat.conf");
    }

    /** The CA certificate every client trusts. */
    public Path caCertificate() {
        return dir.resolve("ca.pem");
    }

    /** The users of the policy. */
    public List<AccessPolicy.User> users() {
        return users;
    }

    /** The SCRAM password of a user. */
    public String password(String user) {
        String p = secrets.getProperty("user." + user + ".password");
        if (p == null) {
            throw new IllegalArgumentException("no user '" + user + "' in " + dir.resolve(SECRETS));
        }
        return p;
    }

    private String keyStorePassword() {
        return secrets.getProperty("keystore.password");
    }

    private void issueCertificates() throws IOException, GeneralSecurityException {
        char[] pw = keyStorePassword().toCharArray();
        CertificateAuthority ca = CertificateAuthority.create("SALI Stream CA", CA_VALIDITY);
        ca.writeKeyStore(dir.resolve("ca.p12"), pw);
        Files.writeString(dir.resolve("ca.pem"), CertificateAuthority.pem(ca.certificate()));
        CertificateAuthority.Issued broker =
                ca.issue(BROKER_CN, CERT_VALIDITY, List.of("127.0.0.1"), List.of("localhost"));
        CertificateAuthority.writeKeyStore(dir.resolve("broker.p12"), "broker", broker.key(), broker.chain(), pw);
        for (AccessPolicy.User u : users) {
            CertificateAuthority.Issued client = ca.issue(u.name(), CERT_VALIDITY, List.of(), List.of());
            CertificateAuthority.writeKeyStore(
                    dir.resolve(u.name() + ".p12"), u.name(), client.key(), client.chain(), pw);
            Files.writeString(
                    dir.resolve(u.name() + ".pem"), CertificateAuthority.pem(client.certificate(), client.issuer()));
            SecretFiles.write(dir.resolve(u.name() + "-key.pem"), CertificateAuthority.pem(client.key()));
        }
    }

    private void requireComplete() throws IOException {
        List<String> needed = new ArrayList<>(List.of("ca.pem", "broker.p12"));
        users.forEach(u -> needed.addAll(List.of(u.name() + ".p12", u.name() + ".pem", u.name() + "-key.pem")));
        for (String f : needed) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IOException(dir + " holds secured-broker material without " + f + "; use an empty folder");
            }
        }
        if (keyStorePassword() == null) {
            throw new IOException(dir.resolve(SECRETS) + " has no keystore.password; use an empty folder");
        }
        users.forEach(u -> password(u.name()));
    }

    /** SCRAM credentials reach the broker's authenticator through the metadata log: wait until a login works. */
    private static void awaitLogin(Path clientFile, long deadline) throws IOException {
        Properties p = ClientConfigs.admin(KafkaConnection.load(null, clientFile));
        p.put("request.timeout.ms", "5000");
        Exception last = null;
        try (Admin admin = Admin.create(p)) {
            while (System.nanoTime() < deadline) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    last = e;
                }
            }
        }
        throw new KafkaException("the secured broker's users cannot log in: " + last, last);
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }

    private static String newPassword() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
