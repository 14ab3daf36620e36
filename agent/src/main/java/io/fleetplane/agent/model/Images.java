package io.fleetplane.agent.model;

/**
 * Every container image the agent runs, in one place, so that an upgrade is one reviewed change.
 * Tags are pinned: a moving tag would let two replicas of one tenant run different versions.
 */
public final class Images {

  private Images() {}

  /** kube-apiserver and kube-controller-manager must be the same minor version. */
  public static final String KUBERNETES_VERSION = "v1.32.0";

  public static final String KUBE_APISERVER =
      "registry.k8s.io/kube-apiserver:" + KUBERNETES_VERSION;
  public static final String KUBE_CONTROLLER_MANAGER =
      "registry.k8s.io/kube-controller-manager:" + KUBERNETES_VERSION;

  /** The etcd release Kubernetes 1.32 is tested against (kubeadm's default for it). */
  public static final String ETCD = "registry.k8s.io/etcd:3.5.16-0";

  public static final String KINE = "docker.io/rancher/kine:v0.13.2";

  public static final String CROSSPLANE = "xpkg.crossplane.io/crossplane/crossplane:v1.18.0";
}
