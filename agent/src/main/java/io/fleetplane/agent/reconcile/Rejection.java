package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A reconcile failure that the tenant's status should show: the API server refused one of its
 * objects (422 invalid, 403 forbidden, with the server's own message), or the agent cannot build
 * the tenant at all (an unknown plan, datastore or isolation).
 *
 * @param retry whether trying again may help: a 403 may be lifted (RBAC, an admission policy); the
 *     same invalid object is refused again, and a spec the agent cannot build stays so until the
 *     spec changes, which triggers a reconcile anyway
 */
record Rejection(String message, boolean retry) {

  static Optional<Rejection> of(Exception e) {
    List<Rejection> found = new ArrayList<>();
    if (e instanceof AggregatedOperatorException aggregated) {
      for (Map.Entry<String, Exception> failed : aggregated.getAggregatedExceptions().entrySet()) {
        ofCause(failed.getValue())
            .map(r -> new Rejection(failed.getKey() + ": " + r.message(), r.retry()))
            .ifPresent(found::add);
      }
    } else {
      ofCause(e).ifPresent(found::add);
    }
    if (found.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Rejection(
            String.join("; ", found.stream().map(Rejection::message).sorted().toList()),
            found.stream().allMatch(Rejection::retry)));
  }

  private static Optional<Rejection> ofCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof KubernetesClientException k && (k.getCode() == 422 || k.getCode() == 403)) {
        String message =
            k.getStatus() != null && k.getStatus().getMessage() != null
                ? k.getStatus().getMessage()
                : k.getMessage();
        return Optional.of(new Rejection(message, k.getCode() == 403));
      }
      if (t instanceof IllegalArgumentException) {
        return Optional.of(new Rejection(t.getMessage(), false));
      }
    }
    return Optional.empty();
  }
}
