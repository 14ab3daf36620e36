package io.fleetplane.agent.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.events.Datastore;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.Placement;
import io.fleetplane.events.plan.PlanCatalogue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Tenants as the scheduler places them, and ways to look into the pods built for them. */
final class TenantFixtures {

  private TenantFixtures() {}

  static final PlanCatalogue CATALOGUE = PlanCatalogue.defaults();
  static final String TENANT = "acme";
  static final String NAMESPACE = "tenant-acme";

  static TenantControlPlaneSpec spec(
      String plan, DatastoreMode mode, Isolation isolation, boolean ha, Integer storageGi) {
    Datastore datastore =
        mode == DatastoreMode.KINE
            ? Datastore.kine("postgres://kine@db.example:5432/kine")
            : Datastore.of(mode);
    Placement placement =
        new Placement(
            TENANT,
            "cluster-1",
            3,
            plan,
            datastore,
            isolation,
            CATALOGUE.demand(plan, mode, ha),
            ha,
            storageGi,
            50,
            "req-1",
            Instant.parse("2026-01-15T10:00:00Z"));
    return TenantControlPlaneSpec.of(placement);
  }

  static TenantControlPlaneSpec spec(String plan, DatastoreMode mode, boolean ha) {
    return spec(plan, mode, Isolation.RUNC, ha, null);
  }

  static TenantControlPlaneSpec dedicated() {
    return spec("medium", DatastoreMode.DEDICATED_ETCD, false);
  }

  /** One workload: what it is, how many, and their template. */
  record Workload(String name, int replicas, PodTemplateSpec template) {

    static Workload of(Deployment d) {
      return new Workload(
          d.getMetadata().getName(), d.getSpec().getReplicas(), d.getSpec().getTemplate());
    }

    static Workload of(StatefulSet s) {
      return new Workload(
          s.getMetadata().getName(), s.getSpec().getReplicas(), s.getSpec().getTemplate());
    }

    Container container(String containerName) {
      return template.getSpec().getContainers().stream()
          .filter(c -> c.getName().equals(containerName))
          .findFirst()
          .orElseThrow(() -> new AssertionError(name + " has no container " + containerName));
    }

    /**
     * The Secret and key a file path of {@code container} comes from, following its mounts to the
     * pod's secret volumes; empty if the file is not a mounted secret key.
     */
    Optional<SecretFile> secretFile(Container container, String path) {
      for (VolumeMount mount : container.getVolumeMounts()) {
        String dir = mount.getMountPath() + "/";
        if (!path.startsWith(dir)) {
          continue;
        }
        String file = path.substring(dir.length());
        Volume volume =
            template.getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName()))
                .findFirst()
                .orElseThrow();
        SecretVolumeSource secret = volume.getSecret();
        if (secret == null) {
          return Optional.empty();
        }
        return secret.getItems().stream()
            .filter(i -> i.getPath().equals(file))
            .findFirst()
            .map(i -> new SecretFile(secret.getSecretName(), i.getKey(), mount.getReadOnly()));
      }
      return Optional.empty();
    }
  }

  record SecretFile(String secret, String key, Boolean readOnly) {}

  /** Every workload with pods that the tenant needs, in every mode. */
  static List<Workload> workloadsOf(TenantControlPlaneSpec spec) {
    List<Workload> out = new ArrayList<>();
    out.add(Workload.of(ApiServerModel.apiserverDeployment(spec, CATALOGUE)));
    out.add(Workload.of(ControllerManagerModel.controllerManagerDeployment(spec, CATALOGUE)));
    ControlPlaneModel.Workloads workloads = ControlPlaneModel.workloadsOf(spec, CATALOGUE);
    if (workloads.dedicatedEtcd()) {
      out.add(Workload.of(DatastoreModel.etcdStatefulSet(spec, CATALOGUE)));
    }
    for (String operator : workloads.operators()) {
      out.add(Workload.of(OperatorModel.operatorDeployment(spec, CATALOGUE, operator)));
    }
    return out;
  }

  static long cpuMillis(Quantity q) {
    return Quantity.getAmountInBytes(q).movePointRight(3).longValueExact();
  }

  static long memoryMiB(Quantity q) {
    return Quantity.getAmountInBytes(q).longValueExact() >> 20;
  }

  /** The value of {@code --name=value} among {@code args}; fails if absent or repeated. */
  static String flag(List<String> args, String name) {
    List<String> values =
        args.stream()
            .filter(a -> a.startsWith(name + "="))
            .map(a -> a.substring(name.length() + 1))
            .toList();
    if (values.size() != 1) {
      throw new AssertionError(name + " appears " + values.size() + " times in " + args);
    }
    return values.get(0);
  }
}
