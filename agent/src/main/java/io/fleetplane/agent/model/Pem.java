package io.fleetplane.agent.model;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * PEM and base64 encoding of certificates and keys. Decoding never throws: material that does not
 * parse is simply absent, because the caller's answer to it is always the same (generate anew).
 */
final class Pem {

  private Pem() {}

  static String encode(X509Certificate certificate) {
    return write(certificate);
  }

  /**
   * An ECDSA key as SEC 1 ("EC PRIVATE KEY"), any other as PKCS#8 ("PRIVATE KEY"). Go's crypto/tls
   * and kube-apiserver read both; the fabric8 client, which the agent uses with a tenant's admin
   * kubeconfig, takes a PKCS#8 key for RSA and reads an ECDSA key only by its SEC 1 header.
   */
  static String encode(PrivateKey key) {
    if (key instanceof java.security.interfaces.ECPrivateKey ec) {
      return sec1(ec);
    }
    try {
      return write(new JcaPKCS8Generator(key, null));
    } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
      throw new IllegalStateException("cannot encode private key", e);
    }
  }

  /**
   * SEC 1 with its curve and public key, as OpenSSL writes it: Go needs the curve's name in it, and
   * BouncyCastle (under fabric8) the public key. The JDK's encoding has neither in the inner
   * structure (PKCS#8 keeps the curve outside), so both are put back: Q = d x G.
   */
  private static String sec1(java.security.interfaces.ECPrivateKey key) {
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
      org.bouncycastle.asn1.ASN1ObjectIdentifier curve =
          org.bouncycastle.asn1.ASN1ObjectIdentifier.getInstance(
              info.getPrivateKeyAlgorithm().getParameters());
      org.bouncycastle.asn1.x9.X9ECParameters x9 =
          org.bouncycastle.asn1.x9.ECNamedCurveTable.getByOID(curve);
      org.bouncycastle.math.ec.ECPoint q =
          new org.bouncycastle.math.ec.FixedPointCombMultiplier()
              .multiply(x9.getG(), key.getS())
              .normalize();
      org.bouncycastle.asn1.sec.ECPrivateKey structure =
          new org.bouncycastle.asn1.sec.ECPrivateKey(
              x9.getN().bitLength(),
              key.getS(),
              new org.bouncycastle.asn1.DERBitString(q.getEncoded(false)),
              curve);
      return write(
          new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", structure.getEncoded()));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot encode the EC private key", e);
    }
  }

  static String encode(PublicKey key) {
    return write(key);
  }

  static Optional<X509Certificate> certificate(String pem) {
    Object parsed = read(pem);
    if (!(parsed instanceof X509CertificateHolder holder)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new JcaX509CertificateConverter().getCertificate(holder));
    } catch (CertificateException e) {
      return Optional.empty();
    }
  }

  /** Reads PKCS#8 and, for material written by other tools, PKCS#1/SEC1 key pairs. */
  static Optional<PrivateKey> privateKey(String pem) {
    Object parsed = read(pem);
    try {
      if (parsed instanceof PrivateKeyInfo info) {
        return Optional.of(new JcaPEMKeyConverter().getPrivateKey(info));
      }
      if (parsed instanceof PEMKeyPair pair) {
        return Optional.of(new JcaPEMKeyConverter().getKeyPair(pair).getPrivate());
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  static Optional<PublicKey> publicKey(String pem) {
    Object parsed = read(pem);
    if (!(parsed instanceof SubjectPublicKeyInfo info)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new JcaPEMKeyConverter().getPublicKey(info));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  static Optional<String> unbase64(String base64) {
    if (base64 == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String write(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The first PEM object in {@code pem}, or null if there is none or it is malformed. */
  private static Object read(String pem) {
    if (pem == null) {
      return null;
    }
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      return parser.readObject();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
