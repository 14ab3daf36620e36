package io.fleetplane.agent.model;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.WireEnum;
import io.fleetplane.events.plan.Component;
import io.fleetplane.events.plan.Plan;
import io.fleetplane.events.plan.PlanCatalogue;
import java.util.ArrayList;
import java.util.List;

/**
 * What a tenant's control plane consists of, given its plan and datastore mode, and the one
 * PriorityClass all control planes share. The workloads themselves are built by {@link
 * ApiServerModel}, {@link ControllerManagerModel}, {@link DatastoreModel} and {@link
 * OperatorModel}.
 */
public final class ControlPlaneModel {

  private ControlPlaneModel() {}

  /**
   * Above ordinary workloads, so that a busy host preempts them before a control plane, and well
   * below {@code system-cluster-critical} (2000000000), so that the host's own components win.
   */
  public static final int PRIORITY_VALUE = 100_000_000;

  /**
   * Which workloads a tenant needs: lets the controller make each dependent conditional.
   *
   * @param dedicatedEtcd the tenant's own etcd StatefulSet and its two Services
   * @param sharedEtcd the host's shared etcd must exist (it is not the tenant's to create)
   * @param kine a kine sidecar runs in every API server pod
   * @param operators hosted operators of the plan, each an {@link OperatorModel} Deployment
   */
  public record Workloads(
      boolean dedicatedEtcd, boolean sharedEtcd, boolean kine, List<String> operators) {

    public Workloads {
      operators = List.copyOf(operators);
    }
  }

  public static Workloads workloadsOf(TenantControlPlaneSpec spec, PlanCatalogue catalogue) {
    DatastoreMode mode = datastoreMode(spec);
    return new Workloads(
        mode == DatastoreMode.DEDICATED_ETCD,
        mode == DatastoreMode.SHARED_ETCD,
        mode == DatastoreMode.KINE,
        plan(spec, catalogue).operators());
  }

  /** The API server, the controller manager, and one Deployment per hosted operator of the plan. */
  public static List<Deployment> deployments(TenantControlPlaneSpec spec, PlanCatalogue catalogue) {
    List<Deployment> out = new ArrayList<>();
    out.add(ApiServerModel.apiserverDeployment(spec, catalogue));
    out.add(ControllerManagerModel.controllerManagerDeployment(spec, catalogue));
    for (String operator : plan(spec, catalogue).operators()) {
      out.add(OperatorModel.operatorDeployment(spec, catalogue, operator));
    }
    return out;
  }

  /** The tenant's own etcd in dedicated mode; none otherwise (the shared etcd is no tenant's). */
  public static List<StatefulSet> statefulSets(
      TenantControlPlaneSpec spec, PlanCatalogue catalogue) {
    return datastoreMode(spec) == DatastoreMode.DEDICATED_ETCD
        ? List.of(DatastoreModel.etcdStatefulSet(spec, catalogue))
        : List.of();
  }

  /** The API server's Service, and a dedicated etcd's client and peer Services. */
  public static List<Service> services(TenantControlPlaneSpec spec) {
    List<Service> out = new ArrayList<>();
    out.add(ApiServerModel.apiserverService(spec));
    if (datastoreMode(spec) == DatastoreMode.DEDICATED_ETCD) {
      out.add(DatastoreModel.etcdService(spec));
      out.add(DatastoreModel.etcdHeadlessService(spec));
    }
    return out;
  }

  /** Cluster-scoped and the same for every tenant: a tenant's priority orders scheduling only. */
  public static PriorityClass priorityClass() {
    return new PriorityClassBuilder()
        .withNewMetadata()
        .withName(WorkloadNames.PRIORITY_CLASS)
        .withLabels(Labels.ours())
        .endMetadata()
        .withValue(PRIORITY_VALUE)
        .withGlobalDefault(false)
        .withDescription("Fleetplane tenant control planes: API servers, their datastores.")
        .build();
  }

  /**
   * @throws IllegalArgumentException for a datastore mode this agent does not know
   */
  static DatastoreMode datastoreMode(TenantControlPlaneSpec spec) {
    DatastoreMode mode = WireEnum.fromWire(DatastoreMode.class, spec.getDatastore());
    if (mode == null) {
      throw new IllegalArgumentException(
          "tenant "
              + spec.getTenantId()
              + ": unknown datastore '"
              + spec.getDatastore()
              + "', expected "
              + WireEnum.spellings(DatastoreMode.class));
    }
    return mode;
  }

  /**
   * @throws IllegalArgumentException for a plan not in the catalogue
   */
  static Plan plan(TenantControlPlaneSpec spec, PlanCatalogue catalogue) {
    return catalogue
        .plan(spec.getPlan())
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "tenant "
                        + spec.getTenantId()
                        + ": unknown plan '"
                        + spec.getPlan()
                        + "'; known: "
                        + catalogue.plans().keySet()));
  }

  /**
   * @throws IllegalArgumentException if the tenant's plan has no such component
   */
  static Component component(TenantControlPlaneSpec spec, PlanCatalogue catalogue, String name) {
    Plan plan = plan(spec, catalogue);
    return plan.components().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException("plan " + plan.name() + " has no component " + name));
  }

  static int replicas(Component component, boolean highAvailability) {
    return highAvailability ? component.haReplicas() : component.replicas();
  }

  static int replicas(TenantControlPlaneSpec spec, PlanCatalogue catalogue, String name) {
    return replicas(component(spec, catalogue, name), spec.isHighAvailability());
  }
}
