package io.fleetplane.agent.model;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedAuthInfoBuilder;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedClusterBuilder;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fleetplane.agent.model.Certificates.Issued;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * The tenant's PKI as Secrets: its CA, the API server's serving certificate, the service-account
 * signing key and an admin kubeconfig.
 *
 * <p>Pure apart from key generation, and stable: given the Secrets it returned before, it returns
 * them again with byte-identical data for as long as they stay valid, so that a reconcile that
 * changed nothing writes nothing. Regenerating on every reconcile would break every client's trust
 * in the API server and every service-account token already issued.
 */
public final class PkiModel {

  private PkiModel() {}

  public static final String TLS_TYPE = "kubernetes.io/tls";
  public static final String OPAQUE_TYPE = "Opaque";
  public static final String TLS_CRT = "tls.crt";
  public static final String TLS_KEY = "tls.key";
  public static final String CA_CRT = "ca.crt";
  public static final String SA_KEY = "sa.key";
  public static final String SA_PUB = "sa.pub";
  public static final String KUBECONFIG = "kubeconfig";

  public static final String ADMIN_USER = "fleetplane-admin";
  public static final String ADMIN_GROUP = "system:masters";

  /** Certificates start this long in the past, so that a host whose clock lags accepts them. */
  static final Duration CLOCK_SKEW = Duration.ofHours(1);

  /** Certificates are reissued this long before they expire, well ahead of any client failing. */
  static final Duration RENEW_BEFORE = Duration.ofDays(30);

  static final int CA_VALIDITY_YEARS = 10;
  static final int LEAF_VALIDITY_YEARS = 1;

  /** Where clients inside the host cluster reach the tenant's API server. */
  public static String apiserverUrl(String tenantId) {
    return "https://"
        + TenantNames.APISERVER
        + "."
        + TenantNames.namespace(tenantId)
        + ".svc:"
        + TenantNames.APISERVER_PORT;
  }

  /**
   * The tenant's four PKI secrets: reuses the material in {@code existing} (by secret name) when it
   * is still valid for this tenant, generates what is missing or invalid.
   *
   * @param apiserverIps IP literals the serving certificate carries besides 127.0.0.1, such as the
   *     API server Service's ClusterIP
   * @return the CA, serving certificate, service-account key and admin kubeconfig secrets, in that
   *     order
   * @throws IllegalArgumentException if an entry of {@code apiserverIps} is not an IP literal
   */
  public static List<Secret> secrets(
      String tenantId, List<String> apiserverIps, Map<String, Secret> existing, Clock clock) {
    return secrets(tenantId, apiserverIps, existing, clock, new SecureRandom());
  }

  /**
   * As {@link #secrets(String, List, Map, Clock)}, drawing keys and serials from {@code random}.
   */
  public static List<Secret> secrets(
      String tenantId,
      List<String> apiserverIps,
      Map<String, Secret> existing,
      Clock clock,
      SecureRandom random) {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(existing, "existing");
    Instant now = clock.instant();
    List<GeneralName> servingNames = servingNames(tenantId, apiserverIps);

    Map<String, String> oldCa = dataOf(existing.get(TenantNames.CA_SECRET));
    Optional<Issued> keptCa = keptCa(tenantId, oldCa, now);
    // Everything below checks its signature against the CA anyway; this makes "a new CA reissues
    // everything it signed" hold by construction rather than by that check.
    boolean caKept = keptCa.isPresent();
    Issued ca = keptCa.orElseGet(() -> newCa(tenantId, now, random));
    Map<String, String> caData = caKept ? oldCa : tlsData(ca, ca.certificate());

    Map<String, String> oldServing = dataOf(existing.get(TenantNames.APISERVER_CERT_SECRET));
    Map<String, String> serving =
        caKept && keptServing(oldServing, servingNames, ca, now)
            ? oldServing
            : newServing(servingNames, ca, now, random);

    Map<String, String> oldSa = dataOf(existing.get(TenantNames.SERVICE_ACCOUNT_KEY_SECRET));
    Map<String, String> sa = keptServiceAccountKey(oldSa) ? oldSa : newServiceAccountKey(random);

    Map<String, String> oldAdmin = dataOf(existing.get(TenantNames.ADMIN_KUBECONFIG_SECRET));
    Map<String, String> admin =
        caKept && keptKubeconfig(tenantId, oldAdmin.get(KUBECONFIG), ca, now)
            ? oldAdmin
            : newKubeconfig(tenantId, ca, now, random);

    return List.of(
        secret(tenantId, TenantNames.CA_SECRET, TLS_TYPE, caData),
        secret(tenantId, TenantNames.APISERVER_CERT_SECRET, TLS_TYPE, serving),
        secret(tenantId, TenantNames.SERVICE_ACCOUNT_KEY_SECRET, OPAQUE_TYPE, sa),
        secret(tenantId, TenantNames.ADMIN_KUBECONFIG_SECRET, OPAQUE_TYPE, admin));
  }

  /**
   * The certificate stored under {@code key} in a secret's base64 {@code data}.
   *
   * @throws IllegalArgumentException if there is none or it does not parse
   */
  public static X509Certificate certificate(Secret secret, String key) {
    return parseCertificate(dataOf(secret).get(key))
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "secret " + secret.getMetadata().getName() + " has no certificate in " + key));
  }

  // ---- what may be kept --------------------------------------------------------------------

  /**
   * The CA in {@code data}, if it is this tenant's, pairs with its key and is not about to expire.
   * Renewing a CA breaks every holder of the old one, but so does letting it expire.
   */
  private static Optional<Issued> keptCa(String tenantId, Map<String, String> data, Instant now) {
    Optional<X509Certificate> cert = parseCertificate(data.get(TLS_CRT));
    Optional<PrivateKey> key = parsePrivateKey(data.get(TLS_KEY));
    if (cert.isEmpty() || key.isEmpty()) {
      return Optional.empty();
    }
    X509Certificate ca = cert.get();
    boolean valid =
        parseCertificate(data.get(CA_CRT)).filter(ca::equals).isPresent()
            && ca.getBasicConstraints() >= 0
            && Certificates.subjectOf(ca).equals(caSubject(tenantId))
            && Certificates.matches(ca.getPublicKey(), key.get())
            && !expiresSoon(ca, now);
    return valid ? Optional.of(new Issued(ca, key.get())) : Optional.empty();
  }

  /**
   * Whether a leaf certificate may be kept: the tenant CA signed it for the same subject and
   * purpose, it pairs with its key, the CA shipped beside it is the current one, it is not about to
   * expire, and {@code extra} holds.
   */
  private static boolean keptLeaf(
      String certBase64,
      String keyBase64,
      String caBase64,
      Issued ca,
      Instant now,
      X500Name subject,
      KeyPurposeId purpose,
      Predicate<X509Certificate> extra) {
    Optional<X509Certificate> cert = parseCertificate(certBase64);
    Optional<PrivateKey> key = parsePrivateKey(keyBase64);
    if (cert.isEmpty() || key.isEmpty()) {
      return false;
    }
    X509Certificate leaf = cert.get();
    return parseCertificate(caBase64).filter(ca.certificate()::equals).isPresent()
        && Certificates.signedBy(leaf, ca.certificate())
        && Certificates.subjectOf(leaf).equals(subject)
        && Certificates.hasPurpose(leaf, purpose)
        && Certificates.matches(leaf.getPublicKey(), key.get())
        && !expiresSoon(leaf, now)
        && extra.test(leaf);
  }

  /** The serving certificate must name exactly what clients dial: a missing name breaks them. */
  private static boolean keptServing(
      Map<String, String> data, List<GeneralName> names, Issued ca, Instant now) {
    Set<String> wanted = Certificates.nameSet(names);
    return keptLeaf(
        data.get(TLS_CRT),
        data.get(TLS_KEY),
        data.get(CA_CRT),
        ca,
        now,
        servingSubject(),
        KeyPurposeId.id_kp_serverAuth,
        cert -> wanted.equals(Certificates.nameSet(Certificates.subjectAltNames(cert))));
  }

  private static boolean keptServiceAccountKey(Map<String, String> data) {
    Optional<PrivateKey> key = parsePrivateKey(data.get(SA_KEY));
    Optional<PublicKey> pub = Pem.unbase64(data.get(SA_PUB)).flatMap(Pem::publicKey);
    return key.isPresent() && pub.isPresent() && Certificates.matches(pub.get(), key.get());
  }

  /** Follows the current context, as kubectl would, to the server and the user it reaches. */
  private static boolean keptKubeconfig(
      String tenantId, String kubeconfigBase64, Issued ca, Instant now) {
    Optional<Config> parsed = Pem.unbase64(kubeconfigBase64).flatMap(PkiModel::parseKubeconfig);
    Optional<NamedContext> context =
        parsed
            .flatMap(c -> named(c.getContexts(), NamedContext::getName, c.getCurrentContext()))
            .filter(c -> c.getContext() != null);
    if (context.isEmpty()) {
      return false;
    }
    Config config = parsed.get();
    Optional<NamedCluster> cluster =
        named(config.getClusters(), NamedCluster::getName, context.get().getContext().getCluster())
            .filter(c -> c.getCluster() != null);
    Optional<NamedAuthInfo> user =
        named(config.getUsers(), NamedAuthInfo::getName, context.get().getContext().getUser())
            .filter(u -> u.getUser() != null);
    return cluster.isPresent()
        && user.isPresent()
        && apiserverUrl(tenantId).equals(cluster.get().getCluster().getServer())
        && keptLeaf(
            user.get().getUser().getClientCertificateData(),
            user.get().getUser().getClientKeyData(),
            cluster.get().getCluster().getCertificateAuthorityData(),
            ca,
            now,
            adminSubject(),
            KeyPurposeId.id_kp_clientAuth,
            cert -> true);
  }

  private static Optional<Config> parseKubeconfig(String yaml) {
    try {
      return Optional.ofNullable(Serialization.unmarshal(yaml, Config.class));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static <T> Optional<T> named(List<T> items, Function<T, String> name, String wanted) {
    if (items == null || wanted == null) {
      return Optional.empty();
    }
    return items.stream().filter(i -> i != null && wanted.equals(name.apply(i))).findFirst();
  }

  private static boolean expiresSoon(X509Certificate cert, Instant now) {
    return cert.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE));
  }

  // ---- what is generated -------------------------------------------------------------------

  private static Issued newCa(String tenantId, Instant now, SecureRandom random) {
    return Certificates.selfSignedCa(
        caSubject(tenantId), now.minus(CLOCK_SKEW), plusYears(now, CA_VALIDITY_YEARS), random);
  }

  private static Map<String, String> newServing(
      List<GeneralName> names, Issued ca, Instant now, SecureRandom random) {
    return tlsData(
        issue(ca, servingSubject(), names, KeyPurposeId.id_kp_serverAuth, now, random),
        ca.certificate());
  }

  private static Map<String, String> newKubeconfig(
      String tenantId, Issued ca, Instant now, SecureRandom random) {
    Issued client =
        issue(ca, adminSubject(), List.of(), KeyPurposeId.id_kp_clientAuth, now, random);
    return Map.of(KUBECONFIG, Pem.base64(kubeconfig(tenantId, ca.certificate(), client)));
  }

  private static Issued issue(
      Issued ca,
      X500Name subject,
      List<GeneralName> altNames,
      KeyPurposeId purpose,
      Instant now,
      SecureRandom random) {
    return Certificates.issue(
        ca,
        subject,
        altNames,
        purpose,
        now.minus(CLOCK_SKEW),
        plusYears(now, LEAF_VALIDITY_YEARS),
        random);
  }

  private static Map<String, String> newServiceAccountKey(SecureRandom random) {
    KeyPair keys = Certificates.madePair(Certificates.newKeyPair(random));
    Map<String, String> data = new LinkedHashMap<>();
    data.put(SA_KEY, Pem.base64(Pem.encode(keys.getPrivate(), keys.getPublic())));
    data.put(SA_PUB, Pem.base64(Pem.encode(keys.getPublic())));
    return data;
  }

  private static String kubeconfig(String tenantId, X509Certificate ca, Issued client) {
    String cluster = TenantNames.namespace(tenantId);
    String context = ADMIN_USER + "@" + cluster;
    Config config =
        new ConfigBuilder()
            .withApiVersion("v1")
            .withKind("Config")
            .addToClusters(
                new NamedClusterBuilder()
                    .withName(cluster)
                    .withNewCluster()
                    .withServer(apiserverUrl(tenantId))
                    .withCertificateAuthorityData(Pem.base64(Pem.encode(ca)))
                    .endCluster()
                    .build())
            .addToUsers(
                new NamedAuthInfoBuilder()
                    .withName(ADMIN_USER)
                    .withNewUser()
                    .withClientCertificateData(Pem.base64(Pem.encode(client.certificate())))
                    .withClientKeyData(
                        Pem.base64(Pem.encode(client.key(), client.certificate().getPublicKey())))
                    .endUser()
                    .build())
            .addToContexts(
                new NamedContextBuilder()
                    .withName(context)
                    .withNewContext()
                    .withCluster(cluster)
                    .withUser(ADMIN_USER)
                    .endContext()
                    .build())
            .withCurrentContext(context)
            .build();
    return Serialization.asYaml(config);
  }

  private static Instant plusYears(Instant instant, int years) {
    return instant.atOffset(ZoneOffset.UTC).plusYears(years).toInstant();
  }

  // ---- names -------------------------------------------------------------------------------

  private static X500Name caSubject(String tenantId) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.CN, "fleetplane tenant " + tenantId + " CA")
        .build();
  }

  private static X500Name servingSubject() {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, TenantNames.APISERVER).build();
  }

  /** Kubernetes takes the user name from CN and the groups from O. */
  private static X500Name adminSubject() {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, ADMIN_GROUP)
        .addRDN(BCStyle.CN, ADMIN_USER)
        .build();
  }

  private static List<GeneralName> servingNames(String tenantId, List<String> apiserverIps) {
    Set<GeneralName> names = new LinkedHashSet<>();
    for (String dns : TenantNames.apiserverDnsNames(tenantId)) {
      names.add(Certificates.dnsName(dns));
    }
    List<String> ips = new ArrayList<>(apiserverIps == null ? List.of() : apiserverIps);
    // Probes and sidecars in the API server's pod reach it over loopback.
    ips.add("127.0.0.1");
    for (String ip : ips) {
      names.add(Certificates.ipAddress(ip));
    }
    return List.copyOf(names);
  }

  // ---- secrets -----------------------------------------------------------------------------

  private static Map<String, String> tlsData(Issued issued, X509Certificate ca) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(TLS_CRT, Pem.base64(Pem.encode(issued.certificate())));
    data.put(TLS_KEY, Pem.base64(Pem.encode(issued.key(), issued.certificate().getPublicKey())));
    data.put(CA_CRT, Pem.base64(Pem.encode(ca)));
    return data;
  }

  private static Secret secret(
      String tenantId, String name, String type, Map<String, String> data) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(TenantNames.namespace(tenantId))
        .withLabels(Labels.ofTenant(tenantId))
        .endMetadata()
        .withType(type)
        .withData(new LinkedHashMap<>(data))
        .build();
  }

  private static Map<String, String> dataOf(Secret secret) {
    return secret == null || secret.getData() == null ? Map.of() : secret.getData();
  }

  private static Optional<X509Certificate> parseCertificate(String base64) {
    return Pem.unbase64(base64).flatMap(Pem::certificate);
  }

  private static Optional<PrivateKey> parsePrivateKey(String base64) {
    return Pem.unbase64(base64).flatMap(Pem::privateKey);
  }
}
