package io.fleetplane.agent.crd;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One placed tenant in this host cluster, named after the tenant. Cluster-scoped, so that it can
 * own the tenant's namespace (a namespaced resource cannot), and so that {@code kubectl get
 * tenantcontrolplanes} lists every tenant of the cluster. (So it does not implement {@code
 * Namespaced}.) The follower keeps its spec equal to the tenant's placement; the controller
 * reconciles it into the tenant's objects and writes its status.
 */
@Group(TenantControlPlane.GROUP)
@Version(TenantControlPlane.VERSION)
@Kind("TenantControlPlane")
@Plural("tenantcontrolplanes")
@ShortNames("tenantcp")
public class TenantControlPlane
    extends CustomResource<TenantControlPlaneSpec, TenantControlPlaneStatus> {

  public static final String GROUP = "fleetplane.io";
  public static final String VERSION = "v1alpha1";
}
