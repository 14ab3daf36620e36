package io.fleetplane.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Requests as the API server's authorizer sees them, which AgentRbacIT compares with the RBAC. */
class ApiRequestTest {

  @Test
  void aCollectionReadIsAListAndWithWatchAWatch() {
    ApiRequest list =
        ApiRequest.of("GET", "/apis/apps/v1/namespaces/t/deployments?labelSelector=a%3Db");
    assertThat(list.triple()).isEqualTo("apps deployments list");
    assertThat(list.namespace()).isEqualTo("t");
    assertThat(ApiRequest.of("GET", "/api/v1/pods?allowWatchBookmarks=true&watch=true").triple())
        .isEqualTo("\"\" pods watch");
  }

  @Test
  void aNamedReadIsAGetAndAFieldSelectedWatchNamesItsObject() {
    ApiRequest get = ApiRequest.of("GET", "/api/v1/namespaces/t/secrets/admin-kubeconfig");
    assertThat(get.triple()).isEqualTo("\"\" secrets get");
    assertThat(get.name()).isEqualTo("admin-kubeconfig");
    ApiRequest watch =
        ApiRequest.of(
            "GET",
            "/apis/node.k8s.io/v1/runtimeclasses?fieldSelector=metadata.name%3Dgvisor&watch=true");
    assertThat(watch.triple()).isEqualTo("node.k8s.io runtimeclasses watch");
    assertThat(watch.name()).isEqualTo("gvisor");
  }

  @Test
  void writesMapToCreateUpdatePatchAndDelete() {
    assertThat(ApiRequest.of("POST", "/apis/coordination.k8s.io/v1/namespaces/a/leases").triple())
        .isEqualTo("coordination.k8s.io leases create");
    assertThat(ApiRequest.of("PUT", "/apis/apps/v1/namespaces/t/statefulsets/etcd").triple())
        .isEqualTo("apps statefulsets update");
    assertThat(
            ApiRequest.of("PATCH", "/apis/fleetplane.io/v1alpha1/tenantcontrolplanes/x/status")
                .triple())
        .isEqualTo("fleetplane.io tenantcontrolplanes/status patch");
    assertThat(
            ApiRequest.of("DELETE", "/apis/fleetplane.io/v1alpha1/tenantcontrolplanes/x").triple())
        .isEqualTo("fleetplane.io tenantcontrolplanes delete");
    assertThat(ApiRequest.of("DELETE", "/api/v1/namespaces/t/secrets").triple())
        .isEqualTo("\"\" secrets deletecollection");
  }

  @Test
  void aNamespaceIsAClusterScopedResourceWithItsOwnSubresources() {
    ApiRequest ns = ApiRequest.of("PUT", "/api/v1/namespaces/tenant-a");
    assertThat(ns.triple()).isEqualTo("\"\" namespaces update");
    assertThat(ns.namespace()).isNull();
    assertThat(ns.name()).isEqualTo("tenant-a");
    assertThat(ApiRequest.of("PUT", "/api/v1/namespaces/tenant-a/finalize").triple())
        .isEqualTo("\"\" namespaces/finalize update");
    assertThat(ApiRequest.of("GET", "/api/v1/namespaces").triple())
        .isEqualTo("\"\" namespaces list");
  }

  @Test
  void discoveryAndVersionAreNonResourceUrls() {
    assertThat(ApiRequest.of("GET", "/version").isResource()).isFalse();
    assertThat(ApiRequest.of("GET", "/apis/apps/v1").nonResourcePath()).isEqualTo("/apis/apps/v1");
  }
}
