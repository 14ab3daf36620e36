package io.fleetplane.agent.model;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.Resources;
import io.fleetplane.events.WireEnum;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The parts every control plane pod shares: hardening, scheduling, resources, probes, mounts. */
final class Pods {

  private Pods() {}

  /** The distroless "nonroot" user: no image we run needs root, nor a writable root filesystem. */
  static final long NON_ROOT = 65532L;

  /** Owner and group may read; the group is {@link #NON_ROOT} through fsGroup. */
  static final int SECRET_MODE = 0440;

  /**
   * A pod spec with everything but its containers and volumes: hardened to Pod Security
   * "restricted", at the control planes' priority, under gVisor when the tenant asked for it.
   * Service links are off: a control plane must not see the host's Services as environment.
   */
  static PodSpecBuilder hardened(String runtimeClassName) {
    return new PodSpecBuilder()
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withPriorityClassName(WorkloadNames.PRIORITY_CLASS)
        .withRuntimeClassName(runtimeClassName)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(NON_ROOT)
        .withRunAsGroup(NON_ROOT)
        .withFsGroup(NON_ROOT)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext();
  }

  static SecurityContext containerSecurityContext() {
    return new SecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(NON_ROOT)
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .build();
  }

  /**
   * The RuntimeClass of the tenant's pods: {@code gvisor} if it asked for gVisor, none (the host's
   * default, runc) otherwise.
   *
   * @throws IllegalArgumentException for an isolation this agent does not know, rather than run the
   *     tenant less isolated than it asked
   */
  static String runtimeClassName(TenantControlPlaneSpec spec) {
    Isolation isolation = WireEnum.fromWire(Isolation.class, spec.getIsolation());
    if (isolation == null) {
      throw new IllegalArgumentException(
          "tenant "
              + spec.getTenantId()
              + ": unknown isolation '"
              + spec.getIsolation()
              + "', expected "
              + WireEnum.spellings(Isolation.class));
    }
    return isolation == Isolation.GVISOR ? TenantNames.GVISOR_RUNTIME_CLASS : null;
  }

  /**
   * Requests equal limits: the namespace quota is exactly what the scheduler committed, and
   * Guaranteed QoS keeps a control plane from being evicted under memory pressure first.
   */
  static ResourceRequirements resources(Resources perReplica) {
    Map<String, Quantity> amounts =
        Map.of(
            "cpu", new Quantity(perReplica.cpuMillis() + "m"),
            "memory", new Quantity(perReplica.memoryMiB() + "Mi"));
    return new ResourceRequirementsBuilder().withRequests(amounts).withLimits(amounts).build();
  }

  static ContainerPort port(String name, int port) {
    return new ContainerPortBuilder()
        .withName(name)
        .withContainerPort(port)
        .withProtocol("TCP")
        .build();
  }

  static Probe httpGet(
      String scheme, String path, int port, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withScheme(scheme)
        .withPath(path)
        .withPort(new IntOrString(port))
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(15)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  /** Up to four minutes to start: a first start waits for its datastore. */
  static Probe startup(String scheme, String path, int port) {
    return httpGet(scheme, path, port, 10, 24);
  }

  static Probe liveness(String scheme, String path, int port) {
    return httpGet(scheme, path, port, 10, 8);
  }

  /** Frequent, so that a replica leaves its Service within seconds of losing its datastore. */
  static Probe readiness(String scheme, String path, int port) {
    return httpGet(scheme, path, port, 1, 3);
  }

  /** Only the listed keys are projected: a pod never sees key material it does not use. */
  static Volume secretVolume(String volumeName, String secretName, String... keys) {
    List<KeyToPath> items = Arrays.stream(keys).map(k -> new KeyToPath(k, null, k)).toList();
    return new VolumeBuilder()
        .withName(volumeName)
        .withNewSecret()
        .withSecretName(secretName)
        .withItems(items)
        .withDefaultMode(SECRET_MODE)
        .endSecret()
        .build();
  }

  static VolumeMount readOnlyMount(String volumeName, String mountPath) {
    return new VolumeMountBuilder()
        .withName(volumeName)
        .withMountPath(mountPath)
        .withReadOnly(true)
        .build();
  }

  /**
   * Replicas on different nodes where possible; only preferred, so that a one-node host (a demo)
   * still runs a highly available tenant.
   */
  static Affinity spreadOverNodes(Map<String, String> podLabels) {
    return new AffinityBuilder()
        .withNewPodAntiAffinity()
        .addNewPreferredDuringSchedulingIgnoredDuringExecution()
        .withWeight(100)
        .withNewPodAffinityTerm()
        .withTopologyKey("kubernetes.io/hostname")
        .withNewLabelSelector()
        .withMatchLabels(podLabels)
        .endLabelSelector()
        .endPodAffinityTerm()
        .endPreferredDuringSchedulingIgnoredDuringExecution()
        .endPodAntiAffinity()
        .build();
  }

  /**
   * Replace one pod at a time without a surge pod: the quota has no room for one, and a rollout
   * whose surge pod the quota rejects would stall forever.
   */
  static DeploymentStrategy replaceWithoutSurge() {
    return new DeploymentStrategyBuilder()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxSurge(new IntOrString(0))
        .withMaxUnavailable(new IntOrString(1))
        .endRollingUpdate()
        .build();
  }

  /** A Deployment of one tenant component, its pods labelled and selected as that component. */
  static Deployment deployment(
      TenantControlPlaneSpec spec, String component, int replicas, PodSpec pod) {
    Map<String, String> labels = Labels.ofComponent(spec.getTenantId(), component);
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(component)
        .withNamespace(TenantNames.namespace(spec.getTenantId()))
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .withMatchLabels(labels)
        .endSelector()
        .withStrategy(replaceWithoutSurge())
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withSpec(pod)
        .endTemplate()
        .endSpec()
        .build();
  }
}
