package io.fleetplane.scheduler.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetplane.events.Topics;
import io.fleetplane.testkit.KafkaBroker;
import io.fleetplane.testkit.KafkaExtension;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaExtension.class)
class TopicCreatorIT {

  @Test
  void anUnreachableKafkaIsAClearErrorWithinTheTimeoutNotAHang() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    long t0 = System.nanoTime();
    assertThatThrownBy(
            () ->
                TopicCreator.createMissing(
                    Map.of("bootstrap.servers", "localhost:" + port),
                    Optional.empty(),
                    Optional.empty(),
                    Duration.ofSeconds(3)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot reach Kafka at localhost:" + port + " within 3 s");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void leavesEveryFleetTopicInPlaceAndCreatesNothingTheSecondTime(KafkaBroker kafka)
      throws Exception {
    // The broker is shared by this module's ITs: some may have created the topics already.
    Map<String, Object> admin = Map.of("bootstrap.servers", kafka.bootstrapServers());
    TopicCreator.createMissing(admin, Optional.empty(), Optional.empty(), Duration.ofSeconds(30));
    try (var a = kafka.admin()) {
      assertThat(a.listTopics().names().get())
          .containsAll(Topics.all().stream().map(t -> t.name()).toList());
    }
    assertThat(
            TopicCreator.createMissing(
                admin, Optional.empty(), Optional.empty(), Duration.ofSeconds(30)))
        .isEmpty();
  }
}
