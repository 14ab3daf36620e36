package io.fleetplane.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KafkaBrokersTest {

  @Test
  void usesTheInJvmBrokerByDefault() {
    assertThat(KafkaBrokers.choose(null, () -> true)).isEqualTo(KafkaBrokers.Kind.IN_JVM);
    assertThat(KafkaBrokers.choose("", () -> false)).isEqualTo(KafkaBrokers.Kind.IN_JVM);
    assertThat(KafkaBrokers.choose("in-jvm", () -> true)).isEqualTo(KafkaBrokers.Kind.IN_JVM);
  }

  @Test
  void usesTestcontainersWhenAskedAndDockerAnswers() {
    assertThat(KafkaBrokers.choose("testcontainers", () -> true))
        .isEqualTo(KafkaBrokers.Kind.TESTCONTAINERS);
  }

  @Test
  void refusesTestcontainersWithoutDockerRatherThanTestingSomethingElse() {
    assertThatThrownBy(() -> KafkaBrokers.choose("testcontainers", () -> false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs a Docker engine");
  }

  @Test
  void namesTheAcceptedValuesForAnUnknownOne() {
    assertThatThrownBy(() -> KafkaBrokers.choose("zookeeper", () -> true))
        .hasMessageContaining("in-jvm")
        .hasMessageContaining("testcontainers");
  }
}
