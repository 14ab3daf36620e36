package io.fleetplane.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class RejectionTest {

  static KubernetesClientException refused(int code, String message) {
    return new KubernetesClientException(
        new StatusBuilder().withCode(code).withMessage(message).withReason("x").build());
  }

  @Test
  void anInvalidObjectIsShownWithTheServersMessageAndNotRetried() {
    Exception e =
        new AggregatedOperatorException(
            "Exception(s) during workflow execution.",
            Map.of(
                "deployments",
                refused(422, "Deployment.apps \"kube-apiserver\" is invalid: spec.replicas")));

    assertThat(Rejection.of(e))
        .contains(
            new Rejection(
                "deployments: Deployment.apps \"kube-apiserver\" is invalid: spec.replicas",
                false));
  }

  @Test
  void aForbiddenWriteMayBeAllowedLaterSoItIsRetried() {
    Map<String, Exception> failed = new LinkedHashMap<>();
    failed.put("services", refused(403, "services is forbidden: User cannot create"));
    failed.put("pki", new RuntimeException(refused(403, "secrets is forbidden")));

    assertThat(Rejection.of(new AggregatedOperatorException("x", failed)))
        .contains(
            new Rejection(
                "pki: secrets is forbidden; services: services is forbidden: User cannot create",
                true));
  }

  @Test
  void aRefusalThatCannotMendIsNotRetriedEvenBesideOneThatMay() {
    Map<String, Exception> failed = new LinkedHashMap<>();
    failed.put("services", refused(403, "forbidden"));
    failed.put("deployments", refused(422, "invalid"));

    assertThat(Rejection.of(new AggregatedOperatorException("x", failed)).get().retry()).isFalse();
  }

  @Test
  void aSpecTheAgentCannotBuildIsShownAndNotRetried() {
    assertThat(
            Rejection.of(new IllegalArgumentException("tenant acme: unknown plan 'huge'; known")))
        .contains(new Rejection("tenant acme: unknown plan 'huge'; known", false));
  }

  @Test
  void conflictsServerErrorsAndLostConnectionsAreNoRejection() {
    assertThat(Rejection.of(refused(409, "conflict"))).isEmpty();
    assertThat(Rejection.of(refused(500, "etcdserver: request timed out"))).isEmpty();
    assertThat(
            Rejection.of(
                new AggregatedOperatorException(
                    "x",
                    Map.of(
                        "pki", new KubernetesClientException("closed", new IOException("reset"))))))
        .isEmpty();
  }

  @Test
  void aFailureIsDescribedByEachDependentAndTheServersOwnMessageWithoutStackTraces() {
    Map<String, Exception> failed = new LinkedHashMap<>();
    failed.put("services", new RuntimeException(refused(500, "etcdserver: leader changed")));
    failed.put(
        "pki",
        new KubernetesClientException(
            "The timeout period of 10000ms has been exceeded while executing POST /api/v1/x\n"
                + "\tat io.fabric8.Some.frame(Some.java:1)",
            new TimeoutException()));

    assertThat(
            Rejection.describe(
                new AggregatedOperatorException(
                    "Exception(s) during workflow execution. Details:\n - services -> ...",
                    failed)))
        .isEqualTo(
            "pki: The timeout period of 10000ms has been exceeded while executing POST /api/v1/x;"
                + " services: etcdserver: leader changed (500)");
  }

  @Test
  void aFailureOutsideTheWorkflowIsDescribedByItsOwnMessage() {
    assertThat(Rejection.describe(refused(429, "Too many requests")))
        .isEqualTo("Too many requests (429)");
    assertThat(Rejection.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
  }
}
