package io.fleetplane.agent.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** New keys are ECDSA P-256; RSA keys of tenants made by earlier versions still serve. */
class CertificatesTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

  @Test
  void newKeysAreEcdsaP256AndQuickToMake() {
    long t0 = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      assertThat(Certificates.newKeyPair(RANDOM).getPublic().getAlgorithm()).isEqualTo("EC");
    }
    // RSA 2048 took 50-200 ms a key here: a hundred of them would take 5-20 s.
    assertThat((System.nanoTime() - t0) / 1_000_000).as("ms for 100 keys").isLessThan(2_000);
  }

  @Test
  void aKeyMatchesItsOwnPublicKeyOnlyOfEitherKind() throws Exception {
    KeyPair ec = Certificates.newKeyPair(RANDOM);
    KeyPair ec2 = Certificates.newKeyPair(RANDOM);
    KeyPair rsa = rsa();

    assertThat(Certificates.matches(ec.getPublic(), ec.getPrivate())).isTrue();
    assertThat(Certificates.matches(ec2.getPublic(), ec.getPrivate())).isFalse();
    assertThat(Certificates.matches(rsa.getPublic(), rsa.getPrivate())).isTrue();
    assertThat(Certificates.matches(rsa.getPublic(), ec.getPrivate())).isFalse();
  }

  @Test
  void anRsaCaOfAnEarlierVersionStillIssuesLeavesThatChainToIt() throws Exception {
    KeyPair keys = rsa();
    X500Name subject = new X500Name("CN=tenant-old-ca");
    var holder =
        new JcaX509v3CertificateBuilder(
                subject,
                BigInteger.valueOf(7),
                Date.from(NOW.minusSeconds(3600)),
                Date.from(NOW.plusSeconds(86_400 * 365L)),
                subject,
                keys.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
            .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
    Certificates.Issued rsaCa =
        new Certificates.Issued(
            new JcaX509CertificateConverter().getCertificate(holder), keys.getPrivate());

    Certificates.Issued leaf =
        Certificates.issue(
            rsaCa,
            new X500Name("CN=kube-apiserver"),
            List.of(Certificates.dnsName("kube-apiserver")),
            KeyPurposeId.id_kp_serverAuth,
            NOW.minusSeconds(60),
            NOW.plusSeconds(86_400),
            RANDOM);

    assertThat(leaf.certificate().getSigAlgName()).isEqualToIgnoringCase("SHA256withRSA");
    assertThat(leaf.key().getAlgorithm()).isEqualTo("EC");
    PkiModelTest.assertChainsTo(leaf.certificate(), rsaCa.certificate(), NOW);
  }

  @Test
  void anEcKeyIsWrittenAsSec1WithItsCurveAndPublicKeyAndReadBack() {
    KeyPair keys = Certificates.newKeyPair(RANDOM);
    String pem = Pem.encode(keys.getPrivate(), keys.getPublic());

    assertThat(pem).startsWith("-----BEGIN EC PRIVATE KEY-----");
    // 121 bytes of DER: version, d, the P-256 OID and the public point (a bare d would be ~39).
    String body = pem.replaceAll("-----[A-Z ]+-----|\\s", "");
    assertThat(java.util.Base64.getDecoder().decode(body)).hasSize(121);
    assertThat(((java.security.interfaces.ECPrivateKey) Pem.privateKey(pem).orElseThrow()).getS())
        .isEqualTo(((java.security.interfaces.ECPrivateKey) keys.getPrivate()).getS());
    assertThat(Certificates.matches(keys.getPublic(), Pem.privateKey(pem).orElseThrow())).isTrue();
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048, RANDOM);
    return g.generateKeyPair();
  }
}
