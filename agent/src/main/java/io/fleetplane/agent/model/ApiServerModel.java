package io.fleetplane.agent.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Resources;
import io.fleetplane.events.plan.Component;
import io.fleetplane.events.plan.PlanCatalogue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The tenant's kube-apiserver: its Deployment (with kine beside it in kine mode) and Service. */
public final class ApiServerModel {

  private ApiServerModel() {}

  /**
   * Cluster IPs of the tenant's own Services. Nothing routes them (the tenant has no nodes), so
   * they only need to be valid and the same for every tenant; they never reach the host network.
   */
  public static final String SERVICE_CLUSTER_IP_RANGE = "10.96.0.0/16";

  /**
   * Admission on top of the defaults a 1.32 API server enables. No Node-related plugins: the tenant
   * has no nodes. Webhooks and admission policies stay available to the tenant.
   */
  public static final String ADMISSION_PLUGINS =
      "NamespaceLifecycle,ServiceAccount,LimitRanger,"
          + "MutatingAdmissionWebhook,ValidatingAdmissionWebhook,ValidatingAdmissionPolicy";

  /** Key of the {@link TenantNames#KINE_DATABASE_SECRET} that holds kine's database endpoint. */
  public static final String KINE_ENDPOINT_KEY = "endpoint";

  /** kine listens on loopback only: it has no authentication, so only its own pod may reach it. */
  public static final String KINE_LISTEN = "127.0.0.1:" + TenantNames.ETCD_CLIENT_PORT;

  static final String CA_VOLUME = "ca";
  static final String SERVING_VOLUME = "serving";
  static final String SERVICE_ACCOUNT_VOLUME = "service-account";

  static final String CA_DIR = WorkloadNames.PKI_DIR + "/ca";
  static final String SERVING_DIR = WorkloadNames.PKI_DIR + "/apiserver";
  static final String SERVICE_ACCOUNT_DIR = WorkloadNames.PKI_DIR + "/sa";

  public static Deployment apiserverDeployment(
      TenantControlPlaneSpec spec, PlanCatalogue catalogue) {
    Component component = ControlPlaneModel.component(spec, catalogue, TenantNames.APISERVER);
    int replicas = ControlPlaneModel.replicas(component, spec.isHighAvailability());
    List<Container> containers = new ArrayList<>();
    containers.add(apiserverContainer(spec, component));
    if (ControlPlaneModel.datastoreMode(spec) == DatastoreMode.KINE) {
      containers.add(kineContainer(spec, catalogue, replicas));
    }
    PodSpecBuilder pod =
        Pods.hardened(Pods.runtimeClassName(spec))
            .withAffinity(
                Pods.spreadOverNodes(Labels.ofComponent(spec.getTenantId(), TenantNames.APISERVER)))
            .withContainers(containers)
            .withVolumes(
                // Only ca.crt: the CA secret also holds the CA's private key.
                Pods.secretVolume(CA_VOLUME, TenantNames.CA_SECRET, PkiModel.CA_CRT),
                Pods.secretVolume(
                    SERVING_VOLUME,
                    TenantNames.APISERVER_CERT_SECRET,
                    PkiModel.TLS_CRT,
                    PkiModel.TLS_KEY),
                Pods.secretVolume(
                    SERVICE_ACCOUNT_VOLUME,
                    TenantNames.SERVICE_ACCOUNT_KEY_SECRET,
                    PkiModel.SA_KEY,
                    PkiModel.SA_PUB));
    return Pods.deployment(spec, TenantNames.APISERVER, replicas, pod.build());
  }

  /** What clients in the host cluster (the gateway, hosted operators) dial. */
  public static Service apiserverService(TenantControlPlaneSpec spec) {
    Map<String, String> labels = Labels.ofComponent(spec.getTenantId(), TenantNames.APISERVER);
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(TenantNames.APISERVER)
        .withNamespace(TenantNames.namespace(spec.getTenantId()))
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(labels)
        .addNewPort()
        .withName("https")
        .withProtocol("TCP")
        .withPort(TenantNames.APISERVER_PORT)
        .withTargetPort(new IntOrString(TenantNames.APISERVER_PORT))
        .endPort()
        .endSpec()
        .build();
  }

  /** The API server's command line, in a stable order so that an unchanged tenant diffs clean. */
  static List<String> apiserverArgs(TenantControlPlaneSpec spec) {
    List<String> args = new ArrayList<>();
    args.add("--secure-port=" + TenantNames.APISERVER_PORT);
    args.add("--tls-cert-file=" + SERVING_DIR + "/" + PkiModel.TLS_CRT);
    args.add("--tls-private-key-file=" + SERVING_DIR + "/" + PkiModel.TLS_KEY);
    args.add("--tls-min-version=VersionTLS12");
    // Client certificates signed by the tenant CA authenticate (the admin kubeconfig's user).
    args.add("--client-ca-file=" + CA_DIR + "/" + PkiModel.CA_CRT);
    // Verifies tokens; the signing key issues them (TokenRequest, bound tokens).
    args.add("--service-account-key-file=" + SERVICE_ACCOUNT_DIR + "/" + PkiModel.SA_PUB);
    args.add("--service-account-signing-key-file=" + SERVICE_ACCOUNT_DIR + "/" + PkiModel.SA_KEY);
    args.add("--service-account-issuer=" + PkiModel.apiserverUrl(spec.getTenantId()));
    // No Node authorizer: the tenant has no nodes, so no kubelet ever authenticates.
    args.add("--authorization-mode=RBAC");
    // The kubelet's probes are anonymous; RBAC lets anonymous see /livez, /readyz, /version only.
    args.add("--anonymous-auth=true");
    args.add("--enable-admission-plugins=" + ADMISSION_PLUGINS);
    args.add("--service-cluster-ip-range=" + SERVICE_CLUSTER_IP_RANGE);
    args.add("--profiling=false");
    args.addAll(datastoreArgs(spec));
    return args;
  }

  /**
   * Where the API server keeps its state.
   *
   * <p>etcd is spoken to in plain HTTP in every mode. The tenant PKI issues no etcd certificates,
   * and every path stays inside the host's pod network: a dedicated etcd is reachable only from its
   * own namespace, the shared etcd only from API server pods (the tenants' NetworkPolicies), and
   * kine only over the pod's loopback. mTLS to etcd would need an etcd server and an API server
   * client certificate in {@link PkiModel}.
   */
  static List<String> datastoreArgs(TenantControlPlaneSpec spec) {
    return switch (ControlPlaneModel.datastoreMode(spec)) {
      case DEDICATED_ETCD -> List.of("--etcd-servers=" + DatastoreModel.etcdUrl(spec));
      case SHARED_ETCD ->
          List.of(
              "--etcd-servers=" + DatastoreModel.sharedEtcdUrl(),
              // The API server appends "/" and the resource to the prefix, so "/tenants/a" can
              // never read "/tenants/ab".
              "--etcd-prefix=" + DatastoreModel.sharedEtcdPrefix(spec));
      case KINE -> List.of("--etcd-servers=http://" + KINE_LISTEN);
    };
  }

  private static Container apiserverContainer(TenantControlPlaneSpec spec, Component component) {
    int port = TenantNames.APISERVER_PORT;
    return new ContainerBuilder()
        .withName(TenantNames.APISERVER)
        .withImage(Images.KUBE_APISERVER)
        .withCommand("kube-apiserver")
        .withArgs(apiserverArgs(spec))
        .withPorts(Pods.port("https", port))
        .withResources(Pods.resources(component.perReplica()))
        .withSecurityContext(Pods.containerSecurityContext())
        .withStartupProbe(Pods.startup("HTTPS", "/livez", port))
        .withLivenessProbe(Pods.liveness("HTTPS", "/livez", port))
        .withReadinessProbe(Pods.readiness("HTTPS", "/readyz", port))
        .withVolumeMounts(
            Pods.readOnlyMount(CA_VOLUME, CA_DIR),
            Pods.readOnlyMount(SERVING_VOLUME, SERVING_DIR),
            Pods.readOnlyMount(SERVICE_ACCOUNT_VOLUME, SERVICE_ACCOUNT_DIR))
        .build();
  }

  /**
   * kine, translating the API server's etcd calls to SQL. It needs no probe of its own: it listens
   * on loopback only, out of the kubelet's reach, and the API server's readiness checks its etcd
   * connection, which is kine.
   */
  private static Container kineContainer(
      TenantControlPlaneSpec spec, PlanCatalogue catalogue, int apiserverReplicas) {
    return new ContainerBuilder()
        .withName(TenantNames.KINE)
        .withImage(Images.KINE)
        // The endpoint holds the database password: it comes from a Secret, expanded by the
        // kubelet, and never appears in the Deployment.
        .withArgs("--listen-address=" + KINE_LISTEN, "--endpoint=$(KINE_ENDPOINT)")
        .addNewEnv()
        .withName("KINE_ENDPOINT")
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(TenantNames.KINE_DATABASE_SECRET)
        .withKey(KINE_ENDPOINT_KEY)
        .withOptional(false)
        .endSecretKeyRef()
        .endValueFrom()
        .endEnv()
        .withResources(Pods.resources(kinePerPod(spec, catalogue, apiserverReplicas)))
        .withSecurityContext(Pods.containerSecurityContext())
        .build();
  }

  /**
   * The catalogue sizes kine as one component, but it runs once per API server pod: its total is
   * shared out over them, so that the pods together stay within what the scheduler committed.
   */
  static Resources kinePerPod(
      TenantControlPlaneSpec spec, PlanCatalogue catalogue, int apiserverReplicas) {
    Resources total = catalogue.datastore(DatastoreMode.KINE).total(spec.isHighAvailability());
    return new Resources(
        Math.max(1, total.cpuMillis() / apiserverReplicas),
        Math.max(1, total.memoryMiB() / apiserverReplicas),
        0);
  }
}
