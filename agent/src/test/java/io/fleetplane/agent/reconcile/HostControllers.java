package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fleetplane.agent.model.Labels;
import io.fleetplane.agent.model.TenantNames;

/**
 * What the host cluster's own controllers and kubelets would write, which fabric8's mock server
 * does not: workload statuses and pods.
 */
public final class HostControllers {

  private HostControllers() {}

  /** Every Deployment and StatefulSet of the tenant, all replicas available. */
  public static void makeAvailable(KubernetesClient client, String tenant) {
    String ns = TenantNames.namespace(tenant);
    for (Deployment d : client.apps().deployments().inNamespace(ns).list().getItems()) {
      makeAvailable(client, tenant, d.getMetadata().getName());
    }
    for (StatefulSet s : client.apps().statefulSets().inNamespace(ns).list().getItems()) {
      setReadyReplicas(client, tenant, s.getMetadata().getName(), s.getSpec().getReplicas());
    }
  }

  static void makeAvailable(KubernetesClient client, String tenant, String deployment) {
    client
        .apps()
        .deployments()
        .inNamespace(TenantNames.namespace(tenant))
        .withName(deployment)
        .editStatus(
            d -> {
              int replicas = d.getSpec().getReplicas();
              d.setStatus(
                  new DeploymentStatusBuilder()
                      .withReplicas(replicas)
                      .withReadyReplicas(replicas)
                      .withAvailableReplicas(replicas)
                      .addToConditions(
                          new DeploymentConditionBuilder()
                              .withType("Available")
                              .withStatus("True")
                              .withReason("MinimumReplicasAvailable")
                              .build())
                      .build());
              return d;
            });
  }

  static void setReadyReplicas(KubernetesClient client, String tenant, String name, int ready) {
    client
        .apps()
        .statefulSets()
        .inNamespace(TenantNames.namespace(tenant))
        .withName(name)
        .editStatus(
            s -> {
              s.setStatus(
                  new StatefulSetStatusBuilder()
                      .withReplicas(s.getSpec().getReplicas())
                      .withReadyReplicas(ready)
                      .withAvailableReplicas(ready)
                      .build());
              return s;
            });
  }

  /** As the Deployment controller reports a ReplicaSet whose pods the API server refuses. */
  static void refusePods(KubernetesClient client, String tenant, String deployment, String why) {
    client
        .apps()
        .deployments()
        .inNamespace(TenantNames.namespace(tenant))
        .withName(deployment)
        .editStatus(
            d -> {
              d.setStatus(
                  new DeploymentStatusBuilder()
                      .withReplicas(0)
                      .withAvailableReplicas(0)
                      .addToConditions(
                          new DeploymentConditionBuilder()
                              .withType("Available")
                              .withStatus("False")
                              .withReason("MinimumReplicasUnavailable")
                              .build(),
                          new DeploymentConditionBuilder()
                              .withType("ReplicaFailure")
                              .withStatus("True")
                              .withReason("FailedCreate")
                              .withMessage(why)
                              .build())
                      .build());
              return d;
            });
  }

  /** A pod of the tenant's component whose container the kubelet restarts with back-off. */
  static Pod crashLoopingPod(KubernetesClient client, String tenant, String component, String pod) {
    Pod created =
        client
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName(pod)
                    .withNamespace(TenantNames.namespace(tenant))
                    .withLabels(Labels.ofComponent(tenant, component))
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName(component)
                    .withImage("registry.k8s.io/" + component)
                    .endContainer()
                    .endSpec()
                    .build())
            .create();
    return client
        .pods()
        .inNamespace(created.getMetadata().getNamespace())
        .withName(pod)
        .editStatus(
            p -> {
              p.setStatus(
                  new PodStatusBuilder()
                      .withPhase("Running")
                      .withContainerStatuses(
                          new ContainerStatusBuilder()
                              .withName(component)
                              .withRestartCount(7)
                              .withReady(false)
                              .withNewState()
                              .withNewWaiting()
                              .withReason("CrashLoopBackOff")
                              .withMessage("back-off 5m0s restarting failed container")
                              .endWaiting()
                              .endState()
                              .build())
                      .build());
              return p;
            });
  }
}
