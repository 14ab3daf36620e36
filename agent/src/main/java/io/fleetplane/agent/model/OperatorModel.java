package io.fleetplane.agent.model;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.events.plan.Component;
import io.fleetplane.events.plan.PlanCatalogue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hosted operators (DESIGN.md): the pod runs on the host but is a client of the tenant's API server
 * alone. client-go's in-cluster config reads {@code KUBERNETES_SERVICE_HOST/PORT} and the files
 * under {@link WorkloadNames#SERVICE_ACCOUNT_DIR}; both point at the tenant, and no token of the
 * host is ever mounted.
 */
public final class OperatorModel {

  private OperatorModel() {}

  /** Where Crossplane keeps its own objects, in the tenant's API server. */
  public static final String CROSSPLANE_NAMESPACE = "crossplane-system";

  /** Keys of the {@link WorkloadNames#operatorTokenSecret} Secret, as client-go reads them. */
  public static final List<String> TOKEN_KEYS = List.of("token", PkiModel.CA_CRT, "namespace");

  static final String TOKEN_VOLUME = "tenant-token";

  /**
   * How to run one kind of operator.
   *
   * @param namespace where it keeps its objects in the tenant's API server
   * @param serviceAccount whom it acts as there: its token is copied to the host
   * @param env besides the API server's address and the two above
   * @param scratchDirs writable directories, each an emptyDir (the root filesystem is read-only)
   */
  record Recipe(
      String image,
      List<String> args,
      String namespace,
      String serviceAccount,
      Map<String, String> env,
      List<String> scratchDirs) {}

  static final Map<String, Recipe> RECIPES =
      Map.of(
          "crossplane",
          new Recipe(
              Images.CROSSPLANE,
              List.of("core", "start"),
              CROSSPLANE_NAMESPACE,
              "crossplane",
              // Webhooks would be called by the tenant API server, which has no route to a pod on
              // the host by the tenant's own Service names.
              orderedMap("WEBHOOK_ENABLED", "false"),
              List.of("/cache")));

  /**
   * @throws IllegalArgumentException if the tenant's plan has no such operator, or the agent does
   *     not know how to run it
   */
  public static Deployment operatorDeployment(
      TenantControlPlaneSpec spec, PlanCatalogue catalogue, String operatorName) {
    if (!ControlPlaneModel.plan(spec, catalogue).operators().contains(operatorName)) {
      throw new IllegalArgumentException(
          "plan "
              + spec.getPlan()
              + " of tenant "
              + spec.getTenantId()
              + " has no operator "
              + operatorName);
    }
    Recipe recipe = recipe(operatorName);
    Component component = catalogue.operators().get(operatorName);
    int replicas = ControlPlaneModel.replicas(component, spec.isHighAvailability());

    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVar("KUBERNETES_SERVICE_HOST", apiserverHost(spec), null));
    env.add(
        new EnvVar("KUBERNETES_SERVICE_PORT", Integer.toString(TenantNames.APISERVER_PORT), null));
    env.add(new EnvVar("POD_NAMESPACE", recipe.namespace(), null));
    env.add(new EnvVar("POD_SERVICE_ACCOUNT", recipe.serviceAccount(), null));
    recipe.env().forEach((name, value) -> env.add(new EnvVar(name, value, null)));

    ContainerBuilder container =
        new ContainerBuilder()
            .withName(operatorName)
            .withImage(recipe.image())
            .withArgs(recipe.args())
            .withEnv(env)
            .withResources(Pods.resources(component.perReplica()))
            .withSecurityContext(Pods.containerSecurityContext())
            .addToVolumeMounts(Pods.readOnlyMount(TOKEN_VOLUME, WorkloadNames.SERVICE_ACCOUNT_DIR));
    PodSpecBuilder pod =
        Pods.hardened(Pods.runtimeClassName(spec))
            .withAffinity(
                Pods.spreadOverNodes(Labels.ofComponent(spec.getTenantId(), operatorName)))
            .addToVolumes(
                Pods.secretVolume(
                    TOKEN_VOLUME,
                    WorkloadNames.operatorTokenSecret(operatorName),
                    TOKEN_KEYS.toArray(String[]::new)));
    for (int i = 0; i < recipe.scratchDirs().size(); i++) {
      String volume = "scratch-" + i;
      container.addToVolumeMounts(
          new VolumeMountBuilder()
              .withName(volume)
              .withMountPath(recipe.scratchDirs().get(i))
              .build());
      pod.addToVolumes(
          new VolumeBuilder().withName(volume).withNewEmptyDir().endEmptyDir().build());
    }
    pod.withContainers(container.build());
    return Pods.deployment(
        spec, WorkloadNames.operatorDeployment(operatorName), replicas, pod.build());
  }

  /**
   * The namespace of the operator's service account in the tenant's API server.
   *
   * @throws IllegalArgumentException if the agent does not know how to run it
   */
  public static String tenantNamespace(String operatorName) {
    return recipe(operatorName).namespace();
  }

  /**
   * The operator's service account in the tenant's API server, whose token it runs with.
   *
   * @throws IllegalArgumentException if the agent does not know how to run it
   */
  public static String tenantServiceAccount(String operatorName) {
    return recipe(operatorName).serviceAccount();
  }

  /**
   * The host Secret the operator's pod mounts as its service-account directory: {@link
   * #TOKEN_KEYS}, as a projected service-account volume would hold them.
   *
   * @param token the service account's token, issued by the tenant's API server
   * @param caCrtBase64 the tenant CA's certificate, base64 (as in the CA Secret's data), which
   *     signed the API server's serving certificate
   */
  public static Secret tokenSecret(
      TenantControlPlaneSpec spec, String operatorName, String token, String caCrtBase64) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(TOKEN_KEYS.get(0), Pem.base64(token));
    data.put(TOKEN_KEYS.get(1), caCrtBase64);
    data.put(TOKEN_KEYS.get(2), Pem.base64(tenantNamespace(operatorName)));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(WorkloadNames.operatorTokenSecret(operatorName))
        .withNamespace(TenantNames.namespace(spec.getTenantId()))
        .withLabels(Labels.ofComponent(spec.getTenantId(), operatorName))
        .endMetadata()
        .withType(PkiModel.OPAQUE_TYPE)
        .withData(data)
        .build();
  }

  private static Recipe recipe(String operatorName) {
    Recipe recipe = RECIPES.get(operatorName);
    if (recipe == null) {
      throw new IllegalArgumentException("the agent cannot run operator " + operatorName);
    }
    return recipe;
  }

  /** The tenant API server's Service, a name its serving certificate carries. */
  public static String apiserverHost(TenantControlPlaneSpec spec) {
    return TenantNames.APISERVER + "." + TenantNames.namespace(spec.getTenantId()) + ".svc";
  }

  private static Map<String, String> orderedMap(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }
}
