package io.fleetplane.agent.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.events.plan.Component;
import io.fleetplane.events.plan.PlanCatalogue;
import java.util.ArrayList;
import java.util.List;

/** The tenant's kube-controller-manager Deployment. */
public final class ControllerManagerModel {

  private ControllerManagerModel() {}

  /**
   * Only what an API-only control plane needs (DESIGN.md): no nodes, so nothing that schedules,
   * routes or manages pods and volumes runs.
   */
  public static final List<String> CONTROLLERS =
      List.of(
          "clusterrole-aggregation",
          "garbagecollector",
          "namespace",
          "serviceaccount",
          "serviceaccount-token");

  /** kube-controller-manager's secure port, serving /healthz with a self-signed certificate. */
  public static final int SECURE_PORT = 10257;

  static final String CA_VOLUME = "ca";
  static final String SERVICE_ACCOUNT_VOLUME = "service-account";
  static final String KUBECONFIG_VOLUME = "kubeconfig";

  static final String CA_DIR = WorkloadNames.PKI_DIR + "/ca";
  static final String SERVICE_ACCOUNT_DIR = WorkloadNames.PKI_DIR + "/sa";
  static final String KUBECONFIG_DIR = WorkloadNames.PKI_DIR + "/admin";
  static final String KUBECONFIG_FILE = KUBECONFIG_DIR + "/" + PkiModel.KUBECONFIG;

  public static Deployment controllerManagerDeployment(
      TenantControlPlaneSpec spec, PlanCatalogue catalogue) {
    Component component =
        ControlPlaneModel.component(spec, catalogue, TenantNames.CONTROLLER_MANAGER);
    int replicas = ControlPlaneModel.replicas(component, spec.isHighAvailability());
    PodSpec pod =
        Pods.hardened(Pods.runtimeClassName(spec))
            .withAffinity(
                Pods.spreadOverNodes(
                    Labels.ofComponent(spec.getTenantId(), TenantNames.CONTROLLER_MANAGER)))
            .withContainers(container(component, replicas))
            .withVolumes(
                Pods.secretVolume(CA_VOLUME, TenantNames.CA_SECRET, PkiModel.CA_CRT),
                // The private key only: legacy token Secrets are signed with it.
                Pods.secretVolume(
                    SERVICE_ACCOUNT_VOLUME,
                    TenantNames.SERVICE_ACCOUNT_KEY_SECRET,
                    PkiModel.SA_KEY),
                Pods.secretVolume(
                    KUBECONFIG_VOLUME, TenantNames.ADMIN_KUBECONFIG_SECRET, PkiModel.KUBECONFIG))
            .build();
    return Pods.deployment(spec, TenantNames.CONTROLLER_MANAGER, replicas, pod);
  }

  static List<String> controllerManagerArgs(int replicas) {
    List<String> args = new ArrayList<>();
    args.add("--controllers=" + String.join(",", CONTROLLERS));
    args.add("--kubeconfig=" + KUBECONFIG_FILE);
    // Delegated authentication and authorization of its own endpoints (metrics) via the tenant
    // API server; /healthz stays open to the kubelet's anonymous probes.
    args.add("--authentication-kubeconfig=" + KUBECONFIG_FILE);
    args.add("--authorization-kubeconfig=" + KUBECONFIG_FILE);
    args.add("--secure-port=" + SECURE_PORT);
    // Signs the tokens of legacy service-account token Secrets (serviceaccount-token).
    args.add("--service-account-private-key-file=" + SERVICE_ACCOUNT_DIR + "/" + PkiModel.SA_KEY);
    // Published in every token Secret so that in-cluster clients can trust the API server.
    args.add("--root-ca-file=" + CA_DIR + "/" + PkiModel.CA_CRT);
    // Each controller acts as its own service account, under its own RBAC role, rather than as
    // the admin kubeconfig's system:masters user.
    args.add("--use-service-account-credentials=true");
    // A single replica needs no lease: electing would only delay its start after a restart.
    args.add("--leader-elect=" + (replicas > 1));
    args.add("--profiling=false");
    return args;
  }

  private static Container container(Component component, int replicas) {
    return new ContainerBuilder()
        .withName(TenantNames.CONTROLLER_MANAGER)
        .withImage(Images.KUBE_CONTROLLER_MANAGER)
        .withCommand("kube-controller-manager")
        .withArgs(controllerManagerArgs(replicas))
        .withPorts(Pods.port("https", SECURE_PORT))
        .withResources(Pods.resources(component.perReplica()))
        .withSecurityContext(Pods.containerSecurityContext())
        .withStartupProbe(Pods.startup("HTTPS", "/healthz", SECURE_PORT))
        .withLivenessProbe(Pods.liveness("HTTPS", "/healthz", SECURE_PORT))
        // Nothing routes to it, but a rollout only proceeds past replicas that are ready.
        .withReadinessProbe(Pods.readiness("HTTPS", "/healthz", SECURE_PORT))
        .withVolumeMounts(
            Pods.readOnlyMount(CA_VOLUME, CA_DIR),
            Pods.readOnlyMount(SERVICE_ACCOUNT_VOLUME, SERVICE_ACCOUNT_DIR),
            Pods.readOnlyMount(KUBECONFIG_VOLUME, KUBECONFIG_DIR))
        .build();
  }
}
