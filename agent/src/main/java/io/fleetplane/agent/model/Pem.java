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
   * An ECDSA key as SEC 1 ("EC PRIVATE KEY", with its curve and {@code pub}), any other as PKCS#8
   * ("PRIVATE KEY"). Go's crypto/tls and kube-apiserver read both; the fabric8 client, which the
   * agent uses with a tenant's admin kubeconfig, takes a PKCS#8 key as RSA and reads an ECDSA key
   * only by its SEC 1 header (and, through BouncyCastle, only with the public key in it).
   */
  static String encode(PrivateKey key, PublicKey pub) {
    if (key instanceof java.security.interfaces.ECPrivateKey ec
        && pub instanceof java.security.interfaces.ECPublicKey ecPub) {
      return sec1(ec, ecPub);
    }
    try {
      return write(new JcaPKCS8Generator(key, null));
    } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
      throw new IllegalStateException("cannot encode private key", e);
    }
  }

  /**
   * SEC 1 as OpenSSL writes it: Go needs the curve's name in it, BouncyCastle the public key. The
   * JDK's encoding keeps the curve outside the inner structure (in PKCS#8) and no public key.
   */
  private static String sec1(
      java.security.interfaces.ECPrivateKey key, java.security.interfaces.ECPublicKey pub) {
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
      org.bouncycastle.asn1.ASN1ObjectIdentifier curve =
          org.bouncycastle.asn1.ASN1ObjectIdentifier.getInstance(
              info.getPrivateKeyAlgorithm().getParameters());
      int bytes = (key.getParams().getOrder().bitLength() + 7) / 8;
      byte[] point = new byte[1 + 2 * bytes]; // uncompressed: 04 || x || y
      point[0] = 0x04;
      unsigned(pub.getW().getAffineX(), point, 1, bytes);
      unsigned(pub.getW().getAffineY(), point, 1 + bytes, bytes);
      org.bouncycastle.asn1.sec.ECPrivateKey structure =
          new org.bouncycastle.asn1.sec.ECPrivateKey(
              key.getParams().getOrder().bitLength(),
              key.getS(),
              new org.bouncycastle.asn1.DERBitString(point),
              curve);
      return write(
          new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", structure.getEncoded()));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot encode the EC private key", e);
    }
  }

  /** {@code v} as exactly {@code n} big-endian bytes at {@code out[at]}. */
  private static void unsigned(java.math.BigInteger v, byte[] out, int at, int n) {
    byte[] b = v.toByteArray(); // may have a leading 0, or be shorter
    int copy = Math.min(b.length, n);
    System.arraycopy(b, b.length - copy, out, at + n - copy, copy);
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
