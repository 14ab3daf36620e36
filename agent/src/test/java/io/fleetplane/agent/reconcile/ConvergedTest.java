package io.fleetplane.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Converged} beyond the recorded pairs: defaults and canonical forms no fixture has, our own
 * changes (also removals, which only the hash can see), and others' edits.
 */
class ConvergedTest {

  private static Deployment deployment(String cpu, Map<String, String> labels) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("kube-apiserver")
        .withNamespace("tenant-a")
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .withNewTemplate()
        .withNewSpec()
        .withContainers(
            new ContainerBuilder()
                .withName("kube-apiserver")
                .withImage("registry.k8s.io/kube-apiserver:v1.32.6")
                .withArgs("--secure-port=6443")
                .withNewResources()
                .addToRequests("cpu", new Quantity(cpu))
                .addToRequests("memory", new Quantity("1024Mi"))
                .endResources()
                .build())
        .withAutomountServiceAccountToken(false)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  @Test
  void fieldsAServerDefaultsThatNoFixtureHasAreNotAChange() {
    Deployment desired = deployment("500m", Map.of("app", "x"));
    Deployment stored = deployment("500m", Map.of("app", "x", "added-by-a-webhook", "y"));
    stored.getSpec().setMinReadySeconds(0);
    stored.getSpec().setPaused(false);
    stored.getSpec().getTemplate().getSpec().setEnableServiceLinks(true);
    stored.getSpec().getTemplate().getSpec().setHostUsers(true);
    stored.getSpec().getTemplate().getSpec().getContainers().get(0).setStdin(false);
    stored.getSpec().getTemplate().getSpec().getContainers().get(0).setTty(false);
    stored.getMetadata().setGeneration(7L);

    assertThat(Converged.matches(desired, stored)).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"500m, 0.5", "1000m, 1", "1, 1000m", "2, 2000m", "1.5, 1500m", "1e3, 1k", "0, 0m"})
  void aQuantityInAnotherCanonicalFormIsNoChange(String desired, String stored) {
    assertThat(
            Converged.matches(
                deployment(desired, Map.of("app", "x")), deployment(stored, Map.of("app", "x"))))
        .isTrue();
  }

  @Test
  void memoryInAnotherUnitIsNoChangeButAnotherAmountIs() {
    Deployment desired = deployment("500m", Map.of());
    Deployment gi = deployment("500m", Map.of());
    gi.getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getResources()
        .getRequests()
        .put("memory", new Quantity("1Gi"));
    Deployment more = deployment("500m", Map.of());
    more.getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getResources()
        .getRequests()
        .put("memory", new Quantity("1025Mi"));

    assertThat(Converged.matches(desired, gi)).isTrue();
    assertThat(Converged.matches(desired, more)).isFalse();
  }

  @Test
  void anEditBySomeoneElseOfWhatWeSetIsAChange() {
    Deployment desired = deployment("500m", Map.of("app", "x"));
    Deployment edited = deployment("500m", Map.of("app", "x"));
    edited.getSpec().getTemplate().getSpec().setAutomountServiceAccountToken(true);
    Deployment extraContainer = deployment("500m", Map.of("app", "x"));
    extraContainer
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .add(new ContainerBuilder().withName("sidecar").withImage("evil").build());

    assertThat(Converged.matches(desired, edited)).isFalse();
    assertThat(Converged.matches(desired, extraContainer)).isFalse();
  }

  @Test
  void aLabelWeNoLongerSetIsSeenByTheHashAlone() {
    Deployment written = Converged.stamped(deployment("500m", Map.of("app", "x", "old", "1")));
    Deployment nowDesired = Converged.stamped(deployment("500m", Map.of("app", "x")));
    Deployment unchanged = Converged.stamped(deployment("500m", Map.of("app", "x", "old", "1")));

    assertThat(Converged.matches(nowDesired, written)).as("the hash differs").isFalse();
    assertThat(Converged.matches(unchanged, written)).isTrue();
    assertThat(written.getMetadata().getAnnotations()).containsKey(Converged.ANNOTATION);
  }

  @Test
  void theHashIsTheSameWhateverOrderMapsWereBuiltIn() {
    Deployment a = deployment("500m", new java.util.LinkedHashMap<>(Map.of("a", "1")));
    a.getMetadata().getLabels().put("b", "2");
    java.util.LinkedHashMap<String, String> reversed = new java.util.LinkedHashMap<>();
    reversed.put("b", "2");
    reversed.put("a", "1");
    Deployment b = deployment("500m", reversed);

    assertThat(Converged.hash(a)).isEqualTo(Converged.hash(b));
  }
}
