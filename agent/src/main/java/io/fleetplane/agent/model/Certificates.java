package io.fleetplane.agent.model;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;
import org.bouncycastle.util.encoders.Hex;

/**
 * Making and checking X.509 certificates, with no opinion on what they are for: {@link PkiModel}
 * decides subjects, lifetimes and when to reissue.
 *
 * <p>New keys are ECDSA P-256, signed with SHA-256: every Kubernetes component reads them for its
 * CA, serving and client certificates, and kube-apiserver signs service-account tokens with such a
 * key as ES256. A P-256 key takes well under a millisecond to make where an RSA 2048 key takes
 * 50-200 ms, which bounded how fast an agent could materialise tenants (4.7 a second). Keys made
 * earlier as RSA 2048 are still read, kept and used to sign (SHA256withRSA), so an upgrade reissues
 * nothing. Only the JDK's own providers are used, so that nothing here registers BouncyCastle
 * process-wide.
 */
final class Certificates {

  private Certificates() {}

  /** A certificate and the private key of its subject. */
  record Issued(X509Certificate certificate, PrivateKey key) {}

  static KeyPair newKeyPair(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ECDSA P-256 is unavailable", e);
    }
  }

  /** SHA-256 with the issuer's kind of key: ECDSA for ours, RSA for keys made before. */
  private static String signatureAlgorithm(PrivateKey issuerKey) {
    return issuerKey instanceof RSAPrivateKey ? "SHA256withRSA" : "SHA256withECDSA";
  }

  static Issued selfSignedCa(
      X500Name subject, Instant notBefore, Instant notAfter, SecureRandom random) {
    KeyPair keys = newKeyPair(random);
    try {
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  subject,
                  serial(random),
                  Date.from(notBefore),
                  Date.from(notAfter),
                  subject,
                  keys.getPublic())
              // Path length 0: the CA signs leaves only, never another CA.
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate cert = sign(builder, keys.getPrivate());
      return made(new Issued(cert, keys.getPrivate()), cert);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot create CA " + subject, e);
    }
  }

  /**
   * A new key pair and its end-entity certificate, signed by {@code ca}. Its lifetime is cut short
   * at the CA's: a certificate outliving its issuer would only look valid.
   */
  static Issued issue(
      Issued ca,
      X500Name subject,
      List<GeneralName> altNames,
      KeyPurposeId purpose,
      Instant notBefore,
      Instant notAfter,
      SecureRandom random) {
    KeyPair keys = newKeyPair(random);
    Instant caNotAfter = ca.certificate().getNotAfter().toInstant();
    Instant end = caNotAfter.isBefore(notAfter) ? caNotAfter : notAfter;
    try {
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  ca.certificate(),
                  serial(random),
                  Date.from(notBefore),
                  Date.from(end),
                  subject,
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              // ECDSA keys sign (TLS 1.2 ECDHE and 1.3 need only that); no key transport.
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  authorityKeyIdentifier(ca.certificate()));
      if (!altNames.isEmpty()) {
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(altNames.toArray(GeneralName[]::new)));
      }
      return made(new Issued(sign(builder, ca.key()), keys.getPrivate()), ca.certificate());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot issue a certificate for " + subject, e);
    }
  }

  /** The CA's own key identifier, so that a CA made elsewhere still chains by identifier. */
  private static AuthorityKeyIdentifier authorityKeyIdentifier(X509Certificate ca)
      throws GeneralSecurityException {
    SubjectKeyIdentifier ski =
        SubjectKeyIdentifier.fromExtensions(new JcaX509CertificateHolder(ca).getExtensions());
    if (ski != null) {
      return new AuthorityKeyIdentifier(ski.getKeyIdentifier());
    }
    return new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.getPublicKey());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
      throws GeneralSecurityException {
    try {
      X509CertificateHolder holder =
          builder.build(
              new JcaContentSignerBuilder(signatureAlgorithm(issuerKey)).build(issuerKey));
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /** Positive and at most 20 octets, as RFC 5280 requires; random, so never reused. */
  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(159, random).setBit(158);
  }

  // ---- checks ------------------------------------------------------------------------------

  static boolean signedBy(X509Certificate leaf, X509Certificate ca) {
    if (!leaf.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
      return false;
    }
    try {
      return remembered(
          "signed:" + fingerprint(leaf.getEncoded(), ca.getEncoded()),
          () -> {
            try {
              leaf.verify(ca.getPublicKey());
              return true;
            } catch (GeneralSecurityException | RuntimeException e) {
              return false;
            }
          });
    } catch (java.security.cert.CertificateEncodingException e) {
      return false;
    }
  }

  static boolean hasPurpose(X509Certificate cert, KeyPurposeId purpose) {
    try {
      List<String> usages = cert.getExtendedKeyUsage();
      return usages != null && usages.contains(purpose.getId());
    } catch (CertificateParsingException e) {
      return false;
    }
  }

  /**
   * Whether the private key belongs to the public one: an RSA pair by its modulus, any other by a
   * signature made with one and checked with the other.
   */
  static boolean matches(PublicKey pub, PrivateKey key) {
    if (pub instanceof RSAPublicKey rsaPub && key instanceof RSAPrivateKey rsaKey) {
      return rsaPub.getModulus().equals(rsaKey.getModulus());
    }
    if (!(pub instanceof ECPublicKey) || !(key instanceof ECPrivateKey)) {
      return false;
    }
    return remembered(pairKey(pub, key), () -> signsAndVerifies(pub, key));
  }

  /** The key of a pair's check: its public key's encoding and its private scalar. */
  private static String pairKey(PublicKey pub, PrivateKey key) {
    byte[] secret = key instanceof ECPrivateKey ec ? ec.getS().toByteArray() : key.getEncoded();
    return "pair:" + fingerprint(pub.getEncoded(), secret);
  }

  /**
   * What was just made needs no check when it is read back: the pair and, for a leaf, its CA's
   * signature are remembered as good.
   */
  private static Issued made(Issued issued, X509Certificate issuer) {
    CHECKED.put(pairKey(issued.certificate().getPublicKey(), issued.key()), true);
    try {
      CHECKED.put(
          "signed:" + fingerprint(issued.certificate().getEncoded(), issuer.getEncoded()), true);
    } catch (java.security.cert.CertificateEncodingException e) {
      // not remembered: checked when read back
    }
    return issued;
  }

  /** A key pair just made is a pair: its check, when read back, is remembered as good. */
  static KeyPair madePair(KeyPair keys) {
    CHECKED.put(pairKey(keys.getPublic(), keys.getPrivate()), true);
    return keys;
  }

  /**
   * Checks already made, by a fingerprint of what was checked: every reconcile of a tenant looks at
   * its PKI again, and an ECDSA signature and its verification cost about a millisecond. Bounded by
   * starting over past {@link #CHECKS_KEPT} (a few per tenant).
   */
  private static final java.util.Map<String, Boolean> CHECKED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static boolean remembered(String key, java.util.function.BooleanSupplier check) {
    Boolean known = CHECKED.get(key);
    if (known != null) {
      return known;
    }
    boolean result = check.getAsBoolean();
    if (CHECKED.size() >= CHECKS_KEPT) {
      CHECKED.clear();
    }
    CHECKED.put(key, result);
    return result;
  }

  private static final int CHECKS_KEPT = 50_000;

  private static String fingerprint(byte[] a, byte[] b) {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      sha.update(a);
      sha.update((byte) 0);
      sha.update(b);
      return java.util.Base64.getEncoder().encodeToString(sha.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static boolean signsAndVerifies(PublicKey pub, PrivateKey key) {
    try {
      byte[] probe = "fleetplane key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(pub);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  static X500Name subjectOf(X509Certificate cert) {
    return X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
  }

  static GeneralName dnsName(String name) {
    return new GeneralName(GeneralName.dNSName, name);
  }

  /**
   * @throws IllegalArgumentException if {@code ip} is not an IPv4 or IPv6 literal
   */
  static GeneralName ipAddress(String ip) {
    // isValid refuses netmasks, which GeneralName would otherwise encode as an address range.
    if (ip == null || !IPAddress.isValid(ip)) {
      throw new IllegalArgumentException("not an IP address: " + ip);
    }
    return new GeneralName(GeneralName.iPAddress, ip);
  }

  static List<GeneralName> subjectAltNames(X509Certificate cert) {
    try {
      GeneralNames names =
          GeneralNames.fromExtensions(
              new JcaX509CertificateHolder(cert).getExtensions(), Extension.subjectAlternativeName);
      return names == null ? List.of() : List.of(names.getNames());
    } catch (GeneralSecurityException | RuntimeException e) {
      return List.of();
    }
  }

  /**
   * Names in a form that compares by meaning: IPs by their octets, so that "::1" and "0:0::1" are
   * one address however a caller spells it.
   */
  static Set<String> nameSet(List<GeneralName> names) {
    return names.stream()
        .map(
            n ->
                switch (n.getTagNo()) {
                  case GeneralName.iPAddress ->
                      "ip:" + Hex.toHexString(ASN1OctetString.getInstance(n.getName()).getOctets());
                  case GeneralName.dNSName -> "dns:" + ((ASN1String) n.getName()).getString();
                  default -> n.getTagNo() + ":" + n.getName();
                })
        .collect(Collectors.toSet());
  }
}
