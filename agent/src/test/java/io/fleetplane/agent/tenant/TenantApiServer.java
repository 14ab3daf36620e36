package io.fleetplane.agent.tenant;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A second API server, standing in for a tenant's own: fabric8's mock in CRUD mode. Like the host's
 * mock it runs no controllers, so the test plays the tenant's controller manager ({@link
 * #issueTokens}).
 */
public final class TenantApiServer implements AutoCloseable {

  public static final String TOKEN_TYPE = "kubernetes.io/service-account-token";

  public final KubernetesMockServer server;
  public final KubernetesClient client;

  public TenantApiServer() {
    server = io.fleetplane.agent.Fixtures.crudApiServer();
    client = server.createClient();
  }

  /** The agent's own implementation, connected to this server instead of by kubeconfig. */
  public TenantApi api() {
    return new KubernetesTenantApi(spec -> server.createClient());
  }

  /**
   * What the tenant's serviceaccount-token controller does: fills in every service-account token
   * Secret that has no token yet.
   *
   * @return how many it filled in
   */
  public int issueTokens(String token) {
    int issued = 0;
    for (Secret s : client.secrets().inAnyNamespace().list().getItems()) {
      if (!TOKEN_TYPE.equals(s.getType())
          || (s.getData() != null && s.getData().containsKey("token"))) {
        continue;
      }
      Map<String, String> data = new LinkedHashMap<>();
      data.put("token", base64(token));
      data.put("ca.crt", base64("the tenant CA"));
      data.put("namespace", base64(s.getMetadata().getNamespace()));
      s.setData(data);
      client.resource(s).update();
      issued++;
    }
    return issued;
  }

  /** Requests this server received since the last call, as request lines. */
  public List<String> drain() throws InterruptedException {
    List<String> requests = new ArrayList<>();
    for (var r = server.takeRequest(50, TimeUnit.MILLISECONDS);
        r != null;
        r = server.takeRequest(50, TimeUnit.MILLISECONDS)) {
      requests.add(r.getRequestLine());
    }
    return requests;
  }

  public static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  public static String unbase64(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
