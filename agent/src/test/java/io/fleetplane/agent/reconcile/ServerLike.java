package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceSpec;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a real kube-apiserver does to an object it stores, done to the CRUD mock's objects by hand:
 * it fills in defaults and writes quantities in their canonical form. Many more defaults than the
 * recorded pairs show (probe thresholds and timeouts, HTTP schemes, IP families, the pod's security
 * context, update strategies, ...), so that change detection is tried on fields it was never told
 * about. Written with the test's own client, never the agent's.
 */
final class ServerLike {

  private ServerLike() {}

  /**
   * Defaults and canonical forms for every object of the tenants' namespaces and the namespaces.
   */
  static int storeAsARealServerWould(KubernetesClient admin, List<String> namespaces) {
    int changed = 0;
    for (String ns : namespaces) {
      changed += apply(admin, admin.namespaces().withName(ns).get(), ServerLike::namespace);
      for (Deployment d : admin.apps().deployments().inNamespace(ns).list().getItems()) {
        changed += apply(admin, d, ServerLike::deployment);
      }
      for (StatefulSet s : admin.apps().statefulSets().inNamespace(ns).list().getItems()) {
        changed += apply(admin, s, ServerLike::statefulSet);
      }
      for (Service s : admin.services().inNamespace(ns).list().getItems()) {
        changed += apply(admin, s, ServerLike::service);
      }
      for (ResourceQuota q : admin.resourceQuotas().inNamespace(ns).list().getItems()) {
        changed += apply(admin, q, ServerLike::quota);
      }
      for (LimitRange l : admin.limitRanges().inNamespace(ns).list().getItems()) {
        changed += apply(admin, l, ServerLike::limitRange);
      }
      for (NetworkPolicy p :
          admin.network().v1().networkPolicies().inNamespace(ns).list().getItems()) {
        changed += apply(admin, p, ServerLike::networkPolicy);
      }
    }
    return changed;
  }

  private static <R extends HasMetadata> int apply(
      KubernetesClient admin, R object, java.util.function.Consumer<R> defaults) {
    if (object == null) {
      return 0;
    }
    defaults.accept(object);
    admin.resource(object).update();
    return 1;
  }

  static void namespace(Namespace n) {
    n.getMetadata().getLabels().put("kubernetes.io/metadata.name", n.getMetadata().getName());
    n.setSpec(new NamespaceSpec(List.of("kubernetes")));
  }

  static void deployment(Deployment d) {
    var spec = d.getSpec();
    spec.setRevisionHistoryLimit(or(spec.getRevisionHistoryLimit(), 10));
    spec.setProgressDeadlineSeconds(or(spec.getProgressDeadlineSeconds(), 600));
    if (spec.getStrategy() == null) {
      spec.setStrategy(
          new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
              .withType("RollingUpdate")
              .withNewRollingUpdate()
              .withMaxSurge(new IntOrString("25%"))
              .withMaxUnavailable(new IntOrString("25%"))
              .endRollingUpdate()
              .build());
    }
    podSpec(spec.getTemplate().getSpec());
  }

  static void statefulSet(StatefulSet s) {
    var spec = s.getSpec();
    spec.setRevisionHistoryLimit(or(spec.getRevisionHistoryLimit(), 10));
    if (spec.getPodManagementPolicy() == null) {
      spec.setPodManagementPolicy("OrderedReady");
    }
    if (spec.getUpdateStrategy() == null) {
      spec.setUpdateStrategy(
          new io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategyBuilder()
              .withType("RollingUpdate")
              .withNewRollingUpdate()
              .withPartition(0)
              .endRollingUpdate()
              .build());
    }
    if (spec.getPersistentVolumeClaimRetentionPolicy() == null) {
      spec.setPersistentVolumeClaimRetentionPolicy(
          new io.fabric8.kubernetes.api.model.apps
                  .StatefulSetPersistentVolumeClaimRetentionPolicyBuilder()
              .withWhenDeleted("Retain")
              .withWhenScaled("Retain")
              .build());
    }
    for (var claim : spec.getVolumeClaimTemplates()) {
      if (claim.getSpec().getVolumeMode() == null) {
        claim.getSpec().setVolumeMode("Filesystem");
      }
      canonical(claim.getSpec().getResources().getRequests());
    }
    podSpec(spec.getTemplate().getSpec());
  }

  private static void podSpec(PodSpec pod) {
    if (pod.getDnsPolicy() == null) {
      pod.setDnsPolicy("ClusterFirst");
    }
    if (pod.getRestartPolicy() == null) {
      pod.setRestartPolicy("Always");
    }
    if (pod.getSchedulerName() == null) {
      pod.setSchedulerName("default-scheduler");
    }
    pod.setTerminationGracePeriodSeconds(or(pod.getTerminationGracePeriodSeconds(), 30L));
    if (pod.getSecurityContext() == null) {
      pod.setSecurityContext(new PodSecurityContext());
    }
    List<Container> all = new ArrayList<>(pod.getContainers());
    all.addAll(pod.getInitContainers());
    for (Container c : all) {
      if (c.getImagePullPolicy() == null) {
        c.setImagePullPolicy("IfNotPresent");
      }
      if (c.getTerminationMessagePath() == null) {
        c.setTerminationMessagePath("/dev/termination-log");
      }
      if (c.getTerminationMessagePolicy() == null) {
        c.setTerminationMessagePolicy("File");
      }
      for (Probe p :
          new Probe[] {c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe()}) {
        if (p != null) {
          p.setSuccessThreshold(or(p.getSuccessThreshold(), 1));
          p.setFailureThreshold(or(p.getFailureThreshold(), 3));
          p.setPeriodSeconds(or(p.getPeriodSeconds(), 10));
          p.setTimeoutSeconds(or(p.getTimeoutSeconds(), 1));
          if (p.getHttpGet() != null && p.getHttpGet().getScheme() == null) {
            p.getHttpGet().setScheme("HTTP");
          }
        }
      }
      for (var port : c.getPorts()) {
        if (port.getProtocol() == null) {
          port.setProtocol("TCP");
        }
      }
      for (EnvVar e : c.getEnv()) {
        if (e.getValueFrom() != null
            && e.getValueFrom().getFieldRef() != null
            && e.getValueFrom().getFieldRef().getApiVersion() == null) {
          e.getValueFrom().getFieldRef().setApiVersion("v1");
        }
      }
      ResourceRequirements r = c.getResources();
      if (r != null) {
        canonical(r.getRequests());
        canonical(r.getLimits());
      }
    }
  }

  static void service(Service s) {
    var spec = s.getSpec();
    if (spec.getType() == null) {
      spec.setType("ClusterIP");
    }
    if (spec.getSessionAffinity() == null) {
      spec.setSessionAffinity("None");
    }
    if (spec.getClusterIP() == null) {
      spec.setClusterIP("10.96." + (Math.abs(s.getMetadata().getName().hashCode()) % 250) + ".7");
    }
    spec.setClusterIPs(List.of(spec.getClusterIP()));
    spec.setIpFamilies(List.of("IPv4"));
    spec.setIpFamilyPolicy("SingleStack");
    spec.setInternalTrafficPolicy("Cluster");
    for (ServicePort p : spec.getPorts()) {
      if (p.getProtocol() == null) {
        p.setProtocol("TCP");
      }
      if (p.getTargetPort() == null) {
        p.setTargetPort(new IntOrString(p.getPort()));
      }
    }
  }

  static void quota(ResourceQuota q) {
    canonical(q.getSpec().getHard());
  }

  static void limitRange(LimitRange l) {
    for (LimitRangeItem item : l.getSpec().getLimits()) {
      canonical(item.getDefault());
      canonical(item.getDefaultRequest());
      canonical(item.getMax());
      canonical(item.getMin());
    }
  }

  static void networkPolicy(NetworkPolicy p) {
    List<NetworkPolicyPort> ports = new ArrayList<>();
    p.getSpec().getIngress().forEach(r -> ports.addAll(r.getPorts()));
    p.getSpec().getEgress().forEach(r -> ports.addAll(r.getPorts()));
    for (NetworkPolicyPort port : ports) {
      if (port.getProtocol() == null) {
        port.setProtocol("TCP");
      }
    }
  }

  private static <T> T or(T value, T otherwise) {
    return value == null ? otherwise : value;
  }

  private static void canonical(Map<String, Quantity> quantities) {
    if (quantities == null) {
      return;
    }
    Map<String, Quantity> out = new LinkedHashMap<>();
    quantities.forEach((k, v) -> out.put(k, new Quantity(canonical(v.toString()))));
    quantities.clear();
    quantities.putAll(out);
  }

  /**
   * The canonical form a server writes: binary amounts in the largest unit that divides them
   * ({@code 1024Mi} is {@code 1Gi}), milli-amounts that are whole as plain numbers ({@code 1000m}
   * is {@code 1}), zero as {@code 0}.
   */
  static String canonical(String q) {
    BigDecimal amount = Quantity.getAmountInBytes(new Quantity(q));
    if (amount.signum() == 0) {
      return "0";
    }
    if (q.matches(".*[KMGTPE]i$")) {
      BigInteger bytes = amount.toBigIntegerExact();
      String[] units = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
      int u = 0;
      BigInteger k = BigInteger.valueOf(1024);
      while (u < units.length - 1 && bytes.mod(k).signum() == 0) {
        bytes = bytes.divide(k);
        u++;
      }
      return bytes + units[u];
    }
    if (amount.stripTrailingZeros().scale() <= 0) {
      return amount.toBigIntegerExact().toString();
    }
    return amount.movePointRight(3).stripTrailingZeros().toPlainString() + "m";
  }
}
