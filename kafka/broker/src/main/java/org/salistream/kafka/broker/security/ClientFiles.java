package org.salistream.kafka.broker.security;

import java.nio.file.Path;
import org.salistream.kafka.broker.EmbeddedBrokerSecurity;

/** The text of a user's client files for the secured embedded broker, Java and librdkafka flavours. */
final class ClientFiles {

    private ClientFiles() {}

    /** Java client properties: SASL_SSL with SCRAM-SHA-512, the CA as PEM trust store, the user's PKCS#12 key store. */
    static String java(String bootstrap, String user, String password, String keyStorePassword, Path dir) {
        return "# SALI Stream client '" + user
                + "' of the secured embedded broker; use with --kafka-config. Keep private.\n"
                + "bootstrap.servers=" + bootstrap + "\n"
                + "security.protocol=SASL_SSL\n"
                + "sasl.mechanism=" + EmbeddedBrokerSecurity.SCRAM + "\n"
                + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";\n"
                + "ssl.truststore.type=PEM\n"
                + "ssl.truststore.location=" + escape(dir.resolve("ca.pem")) + "\n"
                + "ssl.keystore.type=PKCS12\n"
                + "ssl.keystore.location=" + escape(dir.resolve(user + ".p12")) + "\n"
                + "ssl.keystore.password=" + keyStorePassword + "\n"
                + "ssl.key.password=" + keyStorePassword + "\n"
                + "client.id=sali-" + user + "\n";
    }

    /** librdkafka configuration ({@code kcat -F FILE}): the same user with PEM certificate and key. */
    static String kcat(String bootstrap, String user, String password, Path dir) {
        return "# SALI Stream client '" + user + "' of the secured embedded broker, for kcat -F. Keep private.\n"
                + "bootstrap.servers=" + bootstrap + "\n"
                + "security.protocol=SASL_SSL\n"
                + "sasl.mechanisms=" + EmbeddedBrokerSecurity.SCRAM + "\n"
                + "sasl.username=" + user + "\n"
                + "sasl.password=" + password + "\n"
                + "ssl.ca.location=" + dir.resolve("ca.pem") + "\n"
                + "ssl.certificate.location=" + dir.resolve(user + ".pem") + "\n"
                + "ssl.key.location=" + dir.resolve(user + "-key.pem") + "\n";
    }

    /** A path as a properties value (backslashes of Windows paths doubled). */
    private static String escape(Path p) {
        return p.toString().replace("\\", "\\\\");
    }
}
