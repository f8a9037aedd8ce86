package org.salistream.kafka.broker;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * How a secured {@link EmbeddedKafkaBroker} listens: clients on a {@code SASL_SSL} listener (TLS with a
 * client certificate signed by the CA, then a SCRAM-SHA-512 user), the broker itself on an {@code INTERNAL}
 * mutual-TLS listener (inter-broker traffic, and the super-user setup client) and the KRaft controller on
 * mutual TLS too, so that no port of the broker speaks plaintext. ACLs are enforced by Kafka's
 * {@code StandardAuthorizer}, with nothing allowed where no ACL says so; the broker's certificate
 * principal ({@code User:CN=...}) and {@code User:<adminUser>} are super users.
 *
 * @param keyStore         PKCS#12 store of the broker's key and certificate chain
 * @param keyStorePassword its password
 * @param caPem            the CA certificate (PEM) that signs every broker and client certificate
 * @param brokerPrincipal  the broker certificate's subject, e.g. {@code CN=sali-broker}
 * @param adminUser        the SCRAM user that is a super user
 */
public record EmbeddedBrokerSecurity(
        Path keyStore, String keyStorePassword, Path caPem, String brokerPrincipal, String adminUser) {

    /** The client listener's name (and security protocol). */
    public static final String CLIENT_LISTENER = "SASL_SSL";
    /** The inter-broker listener's name (security protocol SSL). */
    public static final String INTERNAL_LISTENER = "INTERNAL";
    /** The one SASL mechanism enabled. */
    public static final String SCRAM = "SCRAM-SHA-512";

    /** Validates. */
    public EmbeddedBrokerSecurity {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(keyStorePassword, "keyStorePassword");
        Objects.requireNonNull(caPem, "caPem");
        Objects.requireNonNull(brokerPrincipal, "brokerPrincipal");
        Objects.requireNonNull(adminUser, "adminUser");
    }

    /** The server properties that replace {@link SingleNodeConfig}'s plaintext listeners. */
    Map<String, Object> serverProperties(
            String host, int clientPort, int internalPort, int controllerPort, String controllerListener) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(
                "listeners",
                CLIENT_LISTENER + "://" + host + ":" + clientPort + "," + INTERNAL_LISTENER + "://" + host + ":"
                        + internalPort + "," + controllerListener + "://" + host + ":" + controllerPort);
        p.put(
                "advertised.listeners",
                CLIENT_LISTENER + "://" + host + ":" + clientPort + "," + INTERNAL_LISTENER + "://" + host + ":"
                        + internalPort);
        p.put(
                "listener.security.protocol.map",
                CLIENT_LISTENER + ":SASL_SSL," + INTERNAL_LISTENER + ":SSL," + controllerListener + ":SSL");
        p.put("inter.broker.listener.name", INTERNAL_LISTENER);
        // Every listener: the broker's certificate, trust in the CA only, and a client certificate required.
        p.putAll(tls());
        p.put("ssl.client.auth", "required");
        // SASL_SSL listeners ignore the broker-wide setting (KIP-684): only the listener-prefixed one asks for
        // certificates.
        p.put("listener.name." + CLIENT_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".ssl.client.auth", "required");
        p.put("sasl.enabled.mechanisms", SCRAM);
        p.put(
                "listener.name." + CLIENT_LISTENER.toLowerCase(java.util.Locale.ROOT) + "."
                        + SCRAM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", "User:" + brokerPrincipal + ";User:" + adminUser);
        return p;
    }

    /**
     * Client properties for the {@code INTERNAL} listener with the broker's own certificate: a super user
     * that can create SCRAM users, ACLs and topics before any user exists.
     */
    public Properties internalClientProperties(String bootstrapServers) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("security.protocol", "SSL");
        p.putAll(tls());
        return p;
    }

    private Map<String, String> tls() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", keyStore.toAbsolutePath().toString());
        p.put("ssl.keystore.password", keyStorePassword);
        p.put("ssl.key.password", keyStorePassword);
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", caPem.toAbsolutePath().toString());
        return p;
    }

    @Override
    public String toString() {
        return "EmbeddedBrokerSecurity[" + keyStore + ", CA " + caPem + ", broker " + brokerPrincipal + ", admin "
                + adminUser + "]";
    }
}
