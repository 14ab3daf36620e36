package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

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

  /**
   * What a failed reconcile was, in a line for the tenant's status: each failed dependent's name
   * and the API server's own message with its HTTP code, or, where no answer came, the client's
   * account of it (a timeout, a closed connection); not the workflow's own message, which carries
   * every stack trace.
   */
  static String describe(Exception e) {
    if (e instanceof AggregatedOperatorException aggregated) {
      return aggregated.getAggregatedExceptions().entrySet().stream()
          .map(failed -> failed.getKey() + ": " + describeCause(failed.getValue()))
          .sorted()
          .collect(Collectors.joining("; "));
    }
    return describeCause(e);
  }

  private static String describeCause(Throwable e) {
    KubernetesClientException unanswered = null;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof KubernetesClientException k) {
        if (k.getCode() > 0) {
          String message =
              k.getStatus() != null && k.getStatus().getMessage() != null
                  ? k.getStatus().getMessage()
                  : k.getMessage();
          return message + " (" + k.getCode() + ")";
        }
        unanswered = unanswered == null ? k : unanswered;
      }
    }
    Throwable shown = unanswered != null ? unanswered : e;
    String message = shown.getMessage();
    return message == null
        ? shown.getClass().getSimpleName()
        : message.lines().findFirst().orElse(message);
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
