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
   * PKCS#8 ("PRIVATE KEY"), which both kube-apiserver and Go's crypto/tls read for any algorithm.
   */
  static String encode(PrivateKey key) {
    try {
      return write(new JcaPKCS8Generator(key, null));
    } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
      throw new IllegalStateException("cannot encode private key", e);
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
