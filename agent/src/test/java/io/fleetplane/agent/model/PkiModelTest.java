package io.fleetplane.agent.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.Context;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PkiModelTest {

  static final String TENANT = "acme";
  static final String NAMESPACE = "tenant-acme";
  static final String SERVICE_IP = "10.96.0.10";
  static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");
  static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  /** One generated set serves most tests. */
  static List<Secret> first;

  @BeforeAll
  static void generateOnce() {
    first = PkiModel.secrets(TENANT, List.of(SERVICE_IP), Map.of(), at(NOW));
  }

  @Test
  void everySecretIsNamedAndLabelledForTheTenant() {
    assertThat(first)
        .extracting(s -> s.getMetadata().getName())
        .containsExactly(
            TenantNames.CA_SECRET,
            TenantNames.APISERVER_CERT_SECRET,
            TenantNames.SERVICE_ACCOUNT_KEY_SECRET,
            TenantNames.ADMIN_KUBECONFIG_SECRET);
    assertThat(first)
        .extracting(Secret::getType)
        .containsExactly("kubernetes.io/tls", "kubernetes.io/tls", "Opaque", "Opaque");
    assertThat(first)
        .allSatisfy(
            s -> {
              assertThat(s.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
              assertThat(s.getMetadata().getLabels()).isEqualTo(Labels.ofTenant(TENANT));
              assertThat(s.getStringData()).isNullOrEmpty();
            });
    assertThat(byName(first).get(TenantNames.CA_SECRET).getData())
        .containsOnlyKeys("tls.crt", "tls.key", "ca.crt");
    assertThat(byName(first).get(TenantNames.APISERVER_CERT_SECRET).getData())
        .containsOnlyKeys("tls.crt", "tls.key", "ca.crt");
  }

  @Test
  void servingCertificateChainsToTheTenantCaAndCarriesEveryServiceNameAndIp() throws Exception {
    X509Certificate ca = ca(first);
    X509Certificate serving = serving(first);

    assertChainsTo(serving, ca, NOW);
    assertThat(serving.getSubjectX500Principal().getName()).isEqualTo("CN=kube-apiserver");
    assertThat(serving.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(serving.getBasicConstraints()).isEqualTo(-1);
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=fleetplane tenant acme CA");
    assertThat(ca.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
    // keyCertSign and cRLSign only.
    assertThat(ca.getKeyUsage()).startsWith(false, false, false, false, false, true, true);
    assertThat(sans(serving))
        .containsExactlyInAnyOrder(
            "dns:kube-apiserver",
            "dns:kube-apiserver.tenant-acme",
            "dns:kube-apiserver.tenant-acme.svc",
            "dns:kube-apiserver.tenant-acme.svc.cluster.local",
            "dns:kubernetes",
            "dns:kubernetes.default",
            "dns:kubernetes.default.svc",
            "dns:kubernetes.default.svc.cluster.local",
            "ip:" + SERVICE_IP,
            "ip:127.0.0.1");
    assertThat(serving.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(365)));
    assertThat(ca.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofHours(1)));
    assertThat(ca.getNotAfter().toInstant())
        .isEqualTo(NOW.atOffset(ZoneOffset.UTC).plusYears(10).toInstant());
    assertThat(PkiModel.certificate(byName(first).get(TenantNames.APISERVER_CERT_SECRET), "ca.crt"))
        .isEqualTo(ca);
    assertThat(privateKey(first, TenantNames.APISERVER_CERT_SECRET, "tls.key"))
        .satisfies(key -> assertPair(serving.getPublicKey(), key));
  }

  @Test
  void aSecondCallWithTheSecretsOfTheFirstReturnsThemUnchanged() {
    List<Secret> second =
        PkiModel.secrets(
            TENANT, List.of(SERVICE_IP), byName(first), at(NOW.plus(Duration.ofDays(1))));

    assertThat(second).isEqualTo(first);
    assertThat(data(second)).isEqualTo(data(first));
  }

  @Test
  void aNewServiceIpReissuesTheServingCertificateButKeepsTheCa() throws Exception {
    List<Secret> next =
        PkiModel.secrets(TENANT, List.of(SERVICE_IP, "10.96.0.11"), byName(first), at(NOW));

    assertThat(data(next, TenantNames.CA_SECRET)).isEqualTo(data(first, TenantNames.CA_SECRET));
    assertThat(data(next, TenantNames.SERVICE_ACCOUNT_KEY_SECRET))
        .isEqualTo(data(first, TenantNames.SERVICE_ACCOUNT_KEY_SECRET));
    assertThat(data(next, TenantNames.ADMIN_KUBECONFIG_SECRET))
        .isEqualTo(data(first, TenantNames.ADMIN_KUBECONFIG_SECRET));
    assertThat(data(next, TenantNames.APISERVER_CERT_SECRET))
        .isNotEqualTo(data(first, TenantNames.APISERVER_CERT_SECRET));
    assertThat(sans(serving(next))).contains("ip:10.96.0.11", "ip:" + SERVICE_IP, "ip:127.0.0.1");
    assertChainsTo(serving(next), ca(first), NOW);
  }

  @Test
  void aCertificateNearExpiryIsReissued() throws Exception {
    Instant stillFine = NOW.plus(Duration.ofDays(300));
    assertThat(PkiModel.secrets(TENANT, List.of(SERVICE_IP), byName(first), at(stillFine)))
        .as("35 days before expiry nothing is due")
        .isEqualTo(first);

    Instant later = NOW.plus(Duration.ofDays(360));
    List<Secret> next = PkiModel.secrets(TENANT, List.of(SERVICE_IP), byName(first), at(later));

    assertThat(data(next, TenantNames.CA_SECRET)).isEqualTo(data(first, TenantNames.CA_SECRET));
    assertThat(data(next, TenantNames.SERVICE_ACCOUNT_KEY_SECRET))
        .isEqualTo(data(first, TenantNames.SERVICE_ACCOUNT_KEY_SECRET));
    assertThat(serving(next).getNotAfter().toInstant()).isEqualTo(later.plus(Duration.ofDays(365)));
    assertThat(adminCertificate(next).getNotAfter().toInstant())
        .isEqualTo(later.plus(Duration.ofDays(365)));
    assertChainsTo(serving(next), ca(first), later);
    assertChainsTo(adminCertificate(next), ca(first), later);
  }

  @Test
  void aReplacedCaReissuesEverythingItSigned() throws Exception {
    Secret otherCa = PkiModel.secrets(TENANT, List.of(SERVICE_IP), Map.of(), at(NOW)).get(0);
    Map<String, Secret> existing = byName(first);
    existing.put(TenantNames.CA_SECRET, otherCa);

    List<Secret> next = PkiModel.secrets(TENANT, List.of(SERVICE_IP), existing, at(NOW));

    assertThat(byName(next).get(TenantNames.CA_SECRET)).isEqualTo(otherCa);
    assertThat(data(next, TenantNames.APISERVER_CERT_SECRET))
        .isNotEqualTo(data(first, TenantNames.APISERVER_CERT_SECRET));
    assertThat(data(next, TenantNames.ADMIN_KUBECONFIG_SECRET))
        .isNotEqualTo(data(first, TenantNames.ADMIN_KUBECONFIG_SECRET));
    X509Certificate newCa = PkiModel.certificate(otherCa, "tls.crt");
    assertChainsTo(serving(next), newCa, NOW);
    assertChainsTo(adminCertificate(next), newCa, NOW);
    assertThat(PkiModel.certificate(byName(next).get(TenantNames.APISERVER_CERT_SECRET), "ca.crt"))
        .isEqualTo(newCa);
    assertThat(data(next, TenantNames.SERVICE_ACCOUNT_KEY_SECRET))
        .as("the service-account key is not signed by the CA")
        .isEqualTo(data(first, TenantNames.SERVICE_ACCOUNT_KEY_SECRET));
  }

  @Test
  void materialThatDoesNotParseIsRegeneratedAndTheRestKept() {
    Map<String, Secret> existing = byName(first);
    existing.put(
        TenantNames.SERVICE_ACCOUNT_KEY_SECRET,
        new SecretBuilder(existing.get(TenantNames.SERVICE_ACCOUNT_KEY_SECRET))
            .addToData("sa.key", base64("-----BEGIN PRIVATE KEY-----\nnot a key\n"))
            .build());
    existing.put(
        TenantNames.APISERVER_CERT_SECRET,
        new SecretBuilder(existing.get(TenantNames.APISERVER_CERT_SECRET))
            .addToData("tls.crt", "%%% not base64")
            .build());

    List<Secret> next = PkiModel.secrets(TENANT, List.of(SERVICE_IP), existing, at(NOW));

    assertThat(data(next, TenantNames.CA_SECRET)).isEqualTo(data(first, TenantNames.CA_SECRET));
    assertThat(data(next, TenantNames.ADMIN_KUBECONFIG_SECRET))
        .isEqualTo(data(first, TenantNames.ADMIN_KUBECONFIG_SECRET));
    assertThatCode(() -> serving(next)).doesNotThrowAnyException();
    assertThat(data(next, TenantNames.SERVICE_ACCOUNT_KEY_SECRET).get("sa.key"))
        .isNotEqualTo(data(first, TenantNames.SERVICE_ACCOUNT_KEY_SECRET).get("sa.key"));
  }

  @Test
  void theAdminKubeconfigPointsAtTheTenantApiServerAndAuthenticatesAsSystemMasters()
      throws Exception {
    Config config = kubeconfig(first);
    Context context =
        config.getContexts().stream()
            .filter(c -> c.getName().equals(config.getCurrentContext()))
            .findFirst()
            .orElseThrow()
            .getContext();
    Cluster cluster =
        config.getClusters().stream()
            .filter(c -> c.getName().equals(context.getCluster()))
            .findFirst()
            .orElseThrow()
            .getCluster();
    AuthInfo user =
        config.getUsers().stream()
            .filter(u -> u.getName().equals(context.getUser()))
            .findFirst()
            .orElseThrow()
            .getUser();

    assertThat(cluster.getServer()).isEqualTo("https://kube-apiserver.tenant-acme.svc:6443");
    assertThat(parseCertificate(cluster.getCertificateAuthorityData())).isEqualTo(ca(first));
    X509Certificate client = parseCertificate(user.getClientCertificateData());
    assertChainsTo(client, ca(first), NOW);
    assertThat(client.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
    Map<String, String> subject =
        new LdapName(client.getSubjectX500Principal().getName())
            .getRdns().stream().collect(Collectors.toMap(Rdn::getType, r -> (String) r.getValue()));
    assertThat(subject).isEqualTo(Map.of("CN", "fleetplane-admin", "O", "system:masters"));
    assertPair(client.getPublicKey(), parsePrivateKey(decode(user.getClientKeyData())));
  }

  @Test
  void theServiceAccountKeyPairMatches() throws Exception {
    Map<String, String> sa = data(first, TenantNames.SERVICE_ACCOUNT_KEY_SECRET);
    assertThat(sa).containsOnlyKeys("sa.key", "sa.pub");
    assertThat(decode(sa.get("sa.key"))).startsWith("-----BEGIN EC PRIVATE KEY-----");
    assertThat(decode(sa.get("sa.pub"))).startsWith("-----BEGIN PUBLIC KEY-----");

    PublicKey pub;
    try (PEMParser parser = new PEMParser(new StringReader(decode(sa.get("sa.pub"))))) {
      pub = new JcaPEMKeyConverter().getPublicKey((SubjectPublicKeyInfo) parser.readObject());
    }
    PrivateKey key = privateKey(first, TenantNames.SERVICE_ACCOUNT_KEY_SECRET, "sa.key");
    assertThat(key.getAlgorithm())
        .as("ECDSA P-256: kube-apiserver signs ES256 tokens")
        .isEqualTo("EC");
    assertPair(pub, key);
  }

  // ---- helpers -----------------------------------------------------------------------------

  static Clock at(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  /** A mutable map, as the controller would build from the secrets it lists. */
  static Map<String, Secret> byName(List<Secret> secrets) {
    return new HashMap<>(
        secrets.stream()
            .collect(Collectors.toMap(s -> s.getMetadata().getName(), Function.identity())));
  }

  static List<Map<String, String>> data(List<Secret> secrets) {
    return secrets.stream().map(Secret::getData).toList();
  }

  static Map<String, String> data(List<Secret> secrets, String name) {
    return byName(secrets).get(name).getData();
  }

  static X509Certificate ca(List<Secret> secrets) {
    return PkiModel.certificate(byName(secrets).get(TenantNames.CA_SECRET), "tls.crt");
  }

  static X509Certificate serving(List<Secret> secrets) {
    return PkiModel.certificate(byName(secrets).get(TenantNames.APISERVER_CERT_SECRET), "tls.crt");
  }

  static Config kubeconfig(List<Secret> secrets) {
    return KubeConfigUtils.parseConfigFromString(
        decode(data(secrets, TenantNames.ADMIN_KUBECONFIG_SECRET).get("kubeconfig")));
  }

  static X509Certificate adminCertificate(List<Secret> secrets) throws Exception {
    return parseCertificate(
        kubeconfig(secrets).getUsers().get(0).getUser().getClientCertificateData());
  }

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  static X509Certificate parseCertificate(String base64Pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64Pem)));
  }

  static PrivateKey privateKey(List<Secret> secrets, String name, String key) throws Exception {
    return parsePrivateKey(decode(data(secrets, name).get(key)));
  }

  static PrivateKey parsePrivateKey(String pem) throws Exception {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o = parser.readObject();
      return o instanceof org.bouncycastle.openssl.PEMKeyPair pair
          ? new JcaPEMKeyConverter().getKeyPair(pair).getPrivate()
          : new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) o);
    }
  }

  static Set<String> sans(X509Certificate cert) throws Exception {
    Collection<List<?>> names = cert.getSubjectAlternativeNames();
    List<String> out = new ArrayList<>();
    for (List<?> name : names) {
      int type = (Integer) name.get(0);
      out.add((type == 2 ? "dns:" : type == 7 ? "ip:" : type + ":") + name.get(1));
    }
    assertThat(out).doesNotHaveDuplicates();
    return Set.copyOf(out);
  }

  /** PKIX validation as a TLS peer would do it, at {@code at} rather than the wall clock. */
  static void assertChainsTo(X509Certificate leaf, X509Certificate ca, Instant at)
      throws Exception {
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    params.setRevocationEnabled(false);
    params.setDate(Date.from(at));
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
  }

  static void assertPair(PublicKey pub, PrivateKey key) {
    try {
      byte[] message = "a token to sign".getBytes(StandardCharsets.UTF_8);
      String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(message);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(pub);
      verifier.update(message);
      assertThat(verifier.verify(signature)).as("signature verifies with the public key").isTrue();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
