package io.fleetplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetplane.testkit.KafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The packaged scheduler (target/quarkus-app) in a JVM of its own, for tests that kill it. */
final class SchedulerProcess {

  private SchedulerProcess() {}

  /**
   * Starts the scheduler on {@code port} against {@code kafka}, with its state in {@code stateDir}
   * and its output in target/{@code name}.log.
   */
  static Process start(
      KafkaBroker kafka,
      String applicationId,
      int port,
      Path stateDir,
      String name,
      String... extra)
      throws IOException {
    Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
    assertThat(jar).as("the packaged scheduler (built by the package phase)").exists();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx768m",
                "-Dkafka.bootstrap.servers=" + kafka.bootstrapServers(),
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.kafka-streams.application-id=" + applicationId,
                "-Dfleet.state-dir=" + stateDir, // the documented setting
                // Hosts report once in these tests: keep them reachable for their whole length.
                "-Dfleet.scheduler.unreachable-after=1h",
                "-Dfleet.scheduler.lost-after=2h"));
    cmd.addAll(List.of(extra));
    cmd.addAll(List.of("-jar", jar.toString()));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(Path.of("target", name + ".log").toFile())
        .start();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
