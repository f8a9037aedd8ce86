package org.salistream.kafka.broker.security;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small certificate authority for the secured embedded broker: a self-signed CA that issues the broker's
 * server certificate (for 127.0.0.1 and localhost) and one client certificate per user, as PKCS#12 key
 * stores for Java clients and PEM files for librdkafka clients such as {@code kcat}. Keys are EC P-256
 * (fast to make, accepted by Java and OpenSSL alike), signatures ECDSA with SHA-256. Built on Bouncy
 * Castle's certificate builder: the JDK can use certificates but has no public API to issue them.
 */
public final class CertificateAuthority {

    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair keys;
    private final X509Certificate certificate;

    private CertificateAuthority(KeyPair keys, X509Certificate certificate) {
        this.keys = keys;
        this.certificate = certificate;
    }

    /** A new CA named {@code CN=<commonName>}, valid for {@code validity}. */
    public static CertificateAuthority create(String commonName, Duration validity) throws GeneralSecurityException {
        KeyPair keys = newKeyPair();
        X500Name name = new X500Name("CN=" + commonName);
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                            name,
                            serial(),
                            Date.from(now.minusSeconds(60)),
                            Date.from(now.plus(validity)),
                            name,
                            keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(
                            Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(keys, sign(b, keys.getPrivate()));
        } catch (IOException e) {
            throw new GeneralSecurityException("could not build the CA certificate: " + e.getMessage(), e);
        }
    }

    /** A CA from a PKCS#12 store written by {@link #writeKeyStore}. */
    public static CertificateAuthority load(Path pkcs12, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(pkcs12)) {
            ks.load(in, password);
        }
        String alias = ks.aliases().nextElement();
        X509Certificate cert = (X509Certificate) ks.getCertificate(alias);
        PrivateKey key = (PrivateKey) ks.getKey(alias, password);
        return new CertificateAuthority(new KeyPair(cert.getPublicKey(), key), cert);
    }

    /** The CA's own certificate (what clients and the broker trust). */
    public X509Certificate certificate() {
        return certificate;
    }

    /** A certificate issued by this CA. */
    public record Issued(PrivateKey key, X509Certificate certificate, X509Certificate issuer) {
        /** The chain, leaf first. */
        public Certificate[] chain() {
            return new Certificate[] {certificate, issuer};
        }
    }

    /**
     * Issues a certificate for {@code CN=<commonName>} usable as server and client (TLS client auth).
     *
     * @param ipAddresses subject alternative names of type IP (e.g. 127.0.0.1), for servers
     * @param dnsNames    subject alternative names of type DNS (e.g. localhost), for servers
     */
    public Issued issue(String commonName, Duration validity, List<String> ipAddresses, List<String> dnsNames)
            throws GeneralSecurityException {
        KeyPair leaf = newKeyPair();
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                            certificate,
                            serial(),
                            Date.from(now.minusSeconds(60)),
                            Date.from(now.plus(validity)),
                            new X500Name("CN=" + commonName),
                            leaf.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(
                            Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                    }))
                    .addExtension(
                            Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate))
                    .addExtension(
                            Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(leaf.getPublic()));
            List<GeneralName> sans = new ArrayList<>();
            ipAddresses.forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, ip)));
            dnsNames.forEach(dns -> sans.add(new GeneralName(GeneralName.dNSName, dns)));
            if (!sans.isEmpty()) {
                b.addExtension(
                        Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            }
            return new Issued(leaf.getPrivate(), sign(b, keys.getPrivate()), certificate);
        } catch (IOException e) {
            throw new GeneralSecurityException(
                    "could not build the certificate of " + commonName + ": " + e.getMessage(), e);
        }
    }

    /** Writes this CA (key and certificate) as a PKCS#12 store, readable by its owner only. */
    public void writeKeyStore(Path file, char[] password) throws IOException, GeneralSecurityException {
        writeKeyStore(file, "ca", keys.getPrivate(), new Certificate[] {certificate}, password);
    }

    /** Writes a key and its chain as a PKCS#12 store, readable by its owner only. */
    public static void writeKeyStore(Path file, String alias, PrivateKey key, Certificate[] chain, char[] password)
            throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(alias, key, password, chain);
        try (OutputStream out = SecretFiles.create(file)) {
            ks.store(out, password);
        }
    }

    /** PEM text of certificates or keys (a key is written as unencrypted PKCS#8: keep its file private). */
    public static String pem(Object... objects) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                w.writeObject(
                        o instanceof PrivateKey k ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null) : o);
            }
        }
        return text.toString();
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).abs().add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("could not sign a certificate: " + e.getMessage(), e);
        }
    }
}
