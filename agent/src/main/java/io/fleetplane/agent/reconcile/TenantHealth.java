package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fleetplane.agent.crd.TenantControlPlaneStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A tenant's phase, read from its workloads as the host cluster reports them. Pure: every rule is
 * tested without an API server.
 *
 * <ul>
 *   <li>Failed, with every reason, when a Deployment has the condition ReplicaFailure (its pods are
 *       refused, e.g. "exceeded quota") or a container of the tenant's pods waits for a reason that
 *       does not clear by itself ({@link #STUCK}).
 *   <li>Ready when every Deployment the tenant needs is available ({@code availableReplicas >=
 *       replicas} and the condition Available) and every StatefulSet ready ({@code readyReplicas >=
 *       replicas}), and no hosted operator's token is missing.
 *   <li>Provisioning otherwise, naming what it waits for.
 * </ul>
 *
 * @param phase one of {@link TenantControlPlaneStatus}'s phases
 */
record TenantHealth(String phase, String message) {

  /** Waiting reasons of a container that a person (or a new spec) has to clear. */
  static final Set<String> STUCK =
      Set.of("ImagePullBackOff", "ErrImagePull", "CrashLoopBackOff", "CreateContainerConfigError");

  /** A status message stays readable, however many pods fail. */
  static final int MAX_MESSAGE = 1024;

  /**
   * @param deployments the names of the Deployments the tenant needs
   * @param statefulSets the names of the StatefulSets the tenant needs
   * @param actualDeployments the tenant's Deployments as they are, by name
   * @param actualStatefulSets the tenant's StatefulSets as they are, by name
   * @param pods the tenant's pods
   * @param pendingSecrets what a workload waits for (a hosted operator's token, kine's database
   *     credential) to why it is not there yet
   */
  static TenantHealth of(
      List<String> deployments,
      List<String> statefulSets,
      Map<String, Deployment> actualDeployments,
      Map<String, StatefulSet> actualStatefulSets,
      Collection<Pod> pods,
      Map<String, String> pendingSecrets) {
    Set<String> failures = new TreeSet<>();
    actualDeployments.values().forEach(d -> replicaFailure(d).ifPresent(failures::add));
    pods.forEach(p -> failures.addAll(stuck(p)));
    if (!failures.isEmpty()) {
      return new TenantHealth(TenantControlPlaneStatus.FAILED, cap(String.join("; ", failures)));
    }

    List<String> waiting = new ArrayList<>();
    for (String name : deployments) {
      if (!available(actualDeployments.get(name))) {
        waiting.add(name);
      }
    }
    for (String name : statefulSets) {
      if (!ready(actualStatefulSets.get(name))) {
        waiting.add(name);
      }
    }
    pendingSecrets.forEach((what, why) -> waiting.add(what + " (" + why + ")"));
    if (waiting.isEmpty()) {
      int n = deployments.size() + statefulSets.size();
      return new TenantHealth(TenantControlPlaneStatus.READY, "all " + n + " workloads available");
    }
    return new TenantHealth(
        TenantControlPlaneStatus.PROVISIONING, cap("waiting for " + String.join(", ", waiting)));
  }

  /** The Deployment's replicas are all available, as the Deployment controller reports it. */
  static boolean available(Deployment d) {
    if (d == null || d.getStatus() == null) {
      return false;
    }
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    int available =
        d.getStatus().getAvailableReplicas() == null ? 0 : d.getStatus().getAvailableReplicas();
    return available >= replicas && condition(d, "Available").isPresent();
  }

  static boolean ready(StatefulSet s) {
    if (s == null || s.getStatus() == null) {
      return false;
    }
    int replicas = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
    int ready = s.getStatus().getReadyReplicas() == null ? 0 : s.getStatus().getReadyReplicas();
    return ready >= replicas;
  }

  /** "kube-apiserver: FailedCreate: pods ... is forbidden: exceeded quota: ...". */
  static Optional<String> replicaFailure(Deployment d) {
    return condition(d, "ReplicaFailure")
        .map(
            c ->
                d.getMetadata().getName()
                    + ": "
                    + Objects.requireNonNullElse(c.getReason(), "ReplicaFailure")
                    + (c.getMessage() == null ? "" : ": " + c.getMessage()));
  }

  /** "pod kube-apiserver-x: container kine CrashLoopBackOff: back-off 5m0s ...", per container. */
  static List<String> stuck(Pod pod) {
    if (pod.getStatus() == null) {
      return List.of();
    }
    List<ContainerStatus> none = List.of();
    return Stream.concat(
            Objects.requireNonNullElse(pod.getStatus().getInitContainerStatuses(), none).stream(),
            Objects.requireNonNullElse(pod.getStatus().getContainerStatuses(), none).stream())
        .filter(TenantHealth::isStuck)
        .map(
            c -> {
              var waiting = c.getState().getWaiting();
              return "pod "
                  + pod.getMetadata().getName()
                  + ": container "
                  + c.getName()
                  + " "
                  + waiting.getReason()
                  + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage());
            })
        .toList();
  }

  private static boolean isStuck(ContainerStatus c) {
    return c.getState() != null
        && c.getState().getWaiting() != null
        && STUCK.contains(c.getState().getWaiting().getReason());
  }

  /** The condition of that type whose status is True. */
  private static Optional<DeploymentCondition> condition(Deployment d, String type) {
    if (d.getStatus() == null || d.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return d.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }

  private static String cap(String message) {
    return message.length() <= MAX_MESSAGE
        ? message
        : message.substring(0, MAX_MESSAGE - 1) + "\u2026";
  }
}
