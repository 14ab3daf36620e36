package io.fleetplane.fleetctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.sim.FleetShape;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code fleet} and {@code demo} without a broker: the fleet's shape from the options, and every
 * mistake refused in one line before anything starts.
 */
class FleetAndDemoArgsTest {

  private record Result(int exit, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Fleetctl.run(
            args,
            Map.of(),
            (b, r, o, e) -> 0,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(exit, err.toString(StandardCharsets.UTF_8));
  }

  /** The options of a {@code fleet} command line, parsed as fleetctl parses them. */
  private static FleetOptions fleetOptions(String... args) {
    FleetCommand c = new FleetCommand();
    new picocli.CommandLine(c).parseArgs(args);
    return c.fleet;
  }

  @Test
  void theOptionsShapeTheFleet() {
    FleetOptions a =
        fleetOptions(
            "--regions",
            "a, b",
            "--hosts-per-region",
            "7",
            "--nodes-per-host",
            "2",
            "--node-cpu-millis",
            "8000",
            "--node-memory-mib",
            "16384",
            "--node-pods",
            "50",
            "--node-storage-gib",
            "250",
            "--gvisor-every",
            "0",
            "--run-after",
            "500ms",
            "--report-every",
            "1m",
            "--check-every",
            "2s");
    FleetShape s = a.shape(FleetShape.demo());
    assertThat(s.regions()).containsExactly("a", "b");
    assertThat(s.hosts()).isEqualTo(14);
    assertThat(s.nodesPerHost()).isEqualTo(2);
    assertThat(s.nodeAllocatable().cpuMillis()).isEqualTo(8000);
    assertThat(s.nodeAllocatable().storageGiB()).isEqualTo(250);
    assertThat(s.gvisorEvery()).isZero();
    assertThat(s.runAfter()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.reportEvery()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.checkEvery()).isEqualTo(Duration.ofSeconds(2));
    // untouched: the demo's
    assertThat(s.systemPerNode()).isEqualTo(FleetShape.demo().systemPerNode());
  }

  @Test
  void withoutOptionsTheFleetIsTheDemos() {
    FleetShape s = fleetOptions().shape(FleetShape.demo());
    assertThat(s).isEqualTo(FleetShape.demo());
    assertThat(s.hosts()).isEqualTo(60);
    assertThat(FleetShape.demo().hostIds()).hasSize(60).startsWith("eu-west-h0001");
    assertThat(FleetShape.demo().gvisor(2)).isTrue();
    assertThat(FleetShape.demo().gvisor(0)).isFalse();
  }

  @Test
  void theDemoStreamChurnsOnlyTenantsAStreamMade() {
    assertThat(RequestStream.madeBy("acme-k3f-17")).isTrue();
    assertThat(RequestStream.madeBy("wonka-0-1")).isTrue();
    assertThat(RequestStream.madeBy("my-tenant")).isFalse();
    assertThat(RequestStream.madeBy("acme-prod")).isFalse();
    assertThat(RequestStream.madeBy("fail-me")).isFalse();
  }

  @Test
  void onlyTenantsTheRuleNamesFail() {
    var failure = fleetOptions("--fail-tenants-matching", "doomed-.*").failure(null);
    TenantControlPlaneSpec doomed = new TenantControlPlaneSpec();
    doomed.setTenantId("doomed-1");
    TenantControlPlaneSpec fine = new TenantControlPlaneSpec();
    fine.setTenantId("fine-doomed-1");
    assertThat(failure.apply(doomed)).isEqualTo(FleetOptions.SIMULATED_FAILURE);
    assertThat(failure.apply(fine)).isNull();
  }

  @Test
  void kafkaClientSettingsComeFromAFileForEveryClient(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(
        file,
        "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nbootstrap.servers=ignored:1\n");
    try {
      // help needs no Kafka; the settings are read all the same
      Fleetctl line =
          Fleetctl.parse(
              List.of("--kafka-config", file.toString(), "--bootstrap", "k:9093", "tail"),
              Map.of());
      KafkaClients.use(line.kafkaConfig());
      assertThat(KafkaClients.producer(line.bootstrap()))
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
          .containsEntry("bootstrap.servers", "k:9093");
      assertThat(KafkaClients.consumer("k:9093")).containsEntry("security.protocol", "SASL_SSL");
      // from the environment too
      Fleetctl fromEnv =
          Fleetctl.parse(List.of("tail"), Map.of(Fleetctl.KAFKA_CONFIG_ENV, file.toString()));
      assertThat(fromEnv.kafkaConfig()).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    } finally {
      KafkaClients.use(new java.util.Properties());
    }
  }

  @Test
  void anUnreadableKafkaConfigIsRefusedInOneLine() {
    Result r = run("--kafka-config", "/no/such/client.properties", "tail");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("fleetctl: --kafka-config: cannot read '/no/such/client.properties'")
        .doesNotContain("Exception:");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "fleet --hosts-per-region 0 | --hosts-per-region must be at least 1, got 0",
        "fleet --node-cpu-millis 400 | a node must have more than its system pods take",
        "fleet --fail-tenants-matching ( | --fail-tenants-matching is not a regular expression",
        "fleet --run-after soon | --run-after must be a positive duration",
        "fleet --regions , | --regions needs at least one region",
        "fleet --gvisor-every -1 | --gvisor-every must be 0",
        "fleet extra | unexpected argument 'extra'",
        "fleet --nodes | unknown option '--nodes' for fleet",
        "fleet --node-storage-gib -1 | --node-storage-gib must be 0 (no volumes) or more, got -1",
        "fleet --regions a --regions b | --regions is given twice",
        "fleet --stats-every | --stats-every needs a value",
        "demo --rate 0 | --rate must be 1 to 1,000 requests a second, got 0",
        "demo --port 70000 | --port must be a port from 1 to 65534, got 70000",
        "demo --tenants -5 | --tenants must be 0 or more, got -5",
      })
  void mistakesAreRefusedInOneLineBeforeAnythingStarts(String line, String message) {
    Result r = run(line.split(" "));
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).startsWith("fleetctl: ").contains(message).doesNotContain("Exception");
    assertThat(r.err().split("\n")).hasSize(2); // what is wrong, and a hint
  }
}
