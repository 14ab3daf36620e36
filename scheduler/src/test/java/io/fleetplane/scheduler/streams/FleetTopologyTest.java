package io.fleetplane.scheduler.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetplane.events.DeadLetter;
import io.fleetplane.events.HostCommand;
import io.fleetplane.events.Placement;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.Topics;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.events.plan.PlanCatalogue;
import io.fleetplane.scheduler.cell.CellConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology end to end in one JVM: requests and reports in, placements and events out. */
class FleetTopologyTest {

  @TempDir Path stateDir;

  private final io.fleetplane.scheduler.query.LocalCells views =
      new io.fleetplane.scheduler.query.LocalCells();
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> requests;
  private TestInputTopic<String, byte[]> reports;
  private TestInputTopic<String, byte[]> commands;
  private TestOutputTopic<String, byte[]> placements;
  private TestOutputTopic<String, byte[]> events;
  private TestOutputTopic<String, byte[]> dead;

  @BeforeEach
  void start() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "fleet-scheduler-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    driver =
        new TopologyTestDriver(
            FleetTopology.build(
                CellConfig.defaults(),
                PlanCatalogue.defaults(),
                Duration.ofSeconds(5),
                views,
                FleetMetrics.none()),
            p);
    StringSerializer ks = new StringSerializer();
    ByteArraySerializer vs = new ByteArraySerializer();
    requests = driver.createInputTopic(Topics.TENANT_REQUESTS.name(), ks, vs);
    reports = driver.createInputTopic(Topics.HOST_REPORTS.name(), ks, vs);
    commands = driver.createInputTopic(Topics.HOST_COMMANDS.name(), ks, vs);
    StringDeserializer kd = new StringDeserializer();
    ByteArrayDeserializer vd = new ByteArrayDeserializer();
    placements = driver.createOutputTopic(Topics.PLACEMENTS.name(), kd, vd);
    events = driver.createOutputTopic(Topics.TENANT_EVENTS.name(), kd, vd);
    dead = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), kd, vd);
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private void request(String key, String json) {
    requests.pipeInput(key, json.getBytes(StandardCharsets.UTF_8));
  }

  private void create(String tenant, String requestId, String plan) {
    request(
        tenant,
        "{\"v\":1,\"op\":\"CREATE\",\"tenantId\":\""
            + tenant
            + "\",\"requestId\":\""
            + requestId
            + "\",\"plan\":\""
            + plan
            + "\",\"region\":\"eu-west\"}");
  }

  private void host(String id, long cpuMillis) {
    reports.pipeInput(
        id,
        ("{\"v\":1,\"clusterId\":\""
                + id
                + "\",\"region\":\"eu-west\",\"zones\":[\"a\",\"b\",\"c\"],"
                + "\"allocatable\":{\"cpuMillis\":"
                + cpuMillis
                + ",\"memoryMiB\":65536,\"pods\":110},"
                + "\"capabilities\":{\"gvisor\":true,\"datastoreModes\":[\"dedicated-etcd\",\"shared-etcd\",\"kine\"],"
                + "\"sharedEtcdHeadroom\":10},\"reportedAt\":\"2026-11-24T10:00:00Z\"}")
            .getBytes(StandardCharsets.UTF_8));
  }

  private List<TenantEvent> events() {
    return events.readValuesToList().stream()
        .map(b -> Codecs.TENANT_EVENT.decode(b).orElseThrow())
        .toList();
  }

  @Test
  void keepsTheCellsDecisionsInTheTenantRecordAndEverythingElseInTheHistory() {
    host("eu-h1", 64_000);
    create("acme", "r1", "small");
    var tenants =
        driver.<String, io.fleetplane.scheduler.cell.TenantRecord>getKeyValueStore(
            StoreNames.TENANTS);
    var history = driver.<String, TenantHistory.Events>getKeyValueStore(StoreNames.TENANT_HISTORY);
    assertThat(tenants.get("acme").events())
        .extracting(TenantEvent::type)
        .containsExactly(TenantEvent.Type.PLACED);
    assertThat(history.get("acme")).as("the PLACED event is not stored twice").isNull();
    assertThat(events()).extracting(TenantEvent::type).containsExactly(TenantEvent.Type.PLACED);

    TestInputTopic<String, byte[]> agentEvents =
        driver.createInputTopic(
            Topics.TENANT_EVENTS.name(), new StringSerializer(), new ByteArraySerializer());
    agentEvents.pipeInput(
        "acme",
        Codecs.TENANT_EVENT.encode(
            TenantEvent.of(
                "acme",
                TenantEvent.Type.READY,
                TenantEvent.Source.AGENT,
                "eu-h1",
                null,
                "apiserver and datastore available",
                Instant.parse("2026-11-24T10:00:05Z"))));
    request("acme", "{\"v\":1,\"op\":\"DELETE\",\"tenantId\":\"acme\",\"requestId\":\"r2\"}");

    assertThat(tenants.get("acme")).isNull();
    assertThat(history.get("acme").events())
        .extracting(TenantEvent::type)
        .containsExactly(TenantEvent.Type.READY, TenantEvent.Type.RELEASED);
  }

  private List<DeadLetter> deadLetters() {
    return dead.readValuesToList().stream()
        .map(b -> Codecs.DEAD_LETTER.decode(b).orElseThrow())
        .toList();
  }

  @Test
  void placesATenantKeyedByClusterAndTenant() {
    host("h1", 8000);
    create("acme", "r1", "small");
    KeyValue<String, byte[]> kv = placements.readKeyValue();
    assertThat(kv.key).isEqualTo("h1/acme");
    Placement p = Codecs.PLACEMENT.decode(kv.value).orElseThrow();
    assertThat(p.generation()).isEqualTo(1);
    assertThat(events()).extracting(TenantEvent::type).containsExactly(TenantEvent.Type.PLACED);
  }

  @Test
  void aRepeatedRequestIdHasNoSecondEffect() {
    host("h1", 8000);
    create("acme", "r1", "small");
    create("acme", "r1", "small");
    assertThat(placements.readValuesToList()).hasSize(1);
    assertThat(events()).hasSize(1);
    assertThat(dead.isEmpty()).isTrue();
  }

  @Test
  void deletingWritesATombstoneAndReleased() {
    host("h1", 8000);
    create("acme", "r1", "small");
    request("acme", "{\"v\":1,\"op\":\"DELETE\",\"tenantId\":\"acme\",\"requestId\":\"r2\"}");
    List<KeyValue<String, byte[]>> out = placements.readKeyValuesToList();
    assertThat(out).hasSize(2);
    assertThat(out.get(1).key).isEqualTo("h1/acme");
    assertThat(out.get(1).value).as("tombstone").isNull();
    assertThat(events())
        .extracting(TenantEvent::type)
        .containsExactly(TenantEvent.Type.PLACED, TenantEvent.Type.RELEASED);
  }

  @Test
  void malformedJsonIsADeadLetterAndARejectionAndTheStreamGoesOn() {
    host("h1", 8000);
    request("acme", "{\"v\":1,\"op\":");
    create("other", "r1", "small");
    DeadLetter d = deadLetters().get(0);
    assertThat(d.sourceTopic()).isEqualTo(Topics.TENANT_REQUESTS.name());
    assertThat(new String(d.value(), StandardCharsets.UTF_8)).isEqualTo("{\"v\":1,\"op\":");
    assertThat(d.reason()).startsWith("malformed JSON");
    List<TenantEvent> e = events();
    assertThat(e.get(0).type()).isEqualTo(TenantEvent.Type.REJECTED);
    assertThat(e.get(0).tenantId()).isEqualTo("acme");
    assertThat(e.get(1).type()).isEqualTo(TenantEvent.Type.PLACED);
  }

  @Test
  void anUnknownOpIsRejectedWithTheAcceptedOnes() {
    request("acme", "{\"v\":1,\"op\":\"UPSERT\",\"tenantId\":\"acme\",\"requestId\":\"r1\"}");
    assertThat(deadLetters()).hasSize(1);
    assertThat(events().get(0).reason()).contains("expected CREATE, UPDATE or DELETE");
  }

  @Test
  void anInvalidTenantIdIsADeadLetterWithoutAnEventForANameThatCannotExist() {
    request(
        "Acme_Prod",
        "{\"v\":1,\"op\":\"CREATE\",\"tenantId\":\"Acme_Prod\",\"requestId\":\"r1\","
            + "\"plan\":\"small\",\"region\":\"eu-west\"}");
    assertThat(deadLetters().get(0).reason()).contains("is not a valid tenant id");
    assertThat(events.isEmpty()).isTrue();
  }

  @Test
  void anUnknownPlanIsRejectedWithTheKnownOnes() {
    create("acme", "r1", "huge");
    assertThat(deadLetters()).hasSize(1);
    assertThat(events().get(0).reason()).contains("unknown plan 'huge': known plans are");
  }

  @Test
  void deletingAnUnknownTenantIsRejected() {
    request("ghost", "{\"v\":1,\"op\":\"DELETE\",\"tenantId\":\"ghost\",\"requestId\":\"r1\"}");
    assertThat(deadLetters().get(0).reason()).contains("unknown tenant ghost");
    assertThat(events().get(0).type()).isEqualTo(TenantEvent.Type.REJECTED);
  }

  @Test
  void aHostReportWithNonsenseCapacityIsADeadLetterAndChangesNothing() {
    reports.pipeInput(
        "h1",
        ("{\"v\":1,\"clusterId\":\"h1\",\"region\":\"eu-west\","
                + "\"allocatable\":{\"cpuMillis\":-5,\"memoryMiB\":1,\"pods\":1},\"reportedAt\":\"2026-11-24T10:00:00Z\"}")
            .getBytes(StandardCharsets.UTF_8));
    assertThat(deadLetters().get(0).sourceTopic()).isEqualTo(Topics.HOST_REPORTS.name());
    create("acme", "r1", "small");
    assertThat(events().get(0).reason())
        .isEqualTo(
            "no host cluster has reported in region eu-west: the tenant waits until one does"
                + " (is the region's name right?)");
  }

  @Test
  void aCordonedHostTakesNoTenantsAndAnUncordonPlacesTheWaitingOnes() {
    host("h1", 8000);
    commands.pipeInput(
        "h1",
        Codecs.HOST_COMMAND.encode(
            new HostCommand("h1", HostCommand.Command.CORDON, "maintenance", Instant.EPOCH)));
    create("acme", "r1", "small");
    assertThat(events().get(0).reason()).contains("1 host cordoned");
    commands.pipeInput(
        "h1",
        Codecs.HOST_COMMAND.encode(
            new HostCommand("h1", HostCommand.Command.UNCORDON, "done", Instant.EPOCH)));
    assertThat(events()).extracting(TenantEvent::type).containsExactly(TenantEvent.Type.PLACED);
  }

  @Test
  void aSilentHostIsMarkedUnreachableByTheClock() {
    host("h1", 8000);
    driver.advanceWallClockTime(Duration.ofSeconds(40));
    create("acme", "r1", "small");
    assertThat(events().get(0).reason()).contains("1 host unreachable");
  }

  @Test
  void publishesAViewOfEachCellForQueries() {
    host("h1", 1000);
    create("a", "r1", "small");
    create("b", "r2", "large");
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    io.fleetplane.scheduler.query.CellView v = views.get("eu-west");
    assertThat(v.tenants()).isEqualTo(1);
    assertThat(v.pending()).isEqualTo(1);
    assertThat(v.waiting())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.tenantId()).isEqualTo("b");
              assertThat(w.reason()).contains("insufficient cpu");
            });
    assertThat(v.hosts())
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.committed().cpuMillis()).isEqualTo(500);
              assertThat(h.free().cpuMillis()).isEqualTo(500);
            });
  }

  @Test
  void placesAPlanOfAConfiguredCatalogueThatTheBuiltInOneLacks() {
    driver.close();
    PlanCatalogue own =
        PlanCatalogue.parse(
            "own",
            ("""
        {"v":1,"plans":{"tiny":{"components":{"cp":{"cpuMillis":100,"memoryMiB":128,"pods":1,
           "replicas":1,"haReplicas":1}},"operators":[],"storageGi":1}},
         "datastores":{"dedicated-etcd":{"cpuMillis":0,"memoryMiB":0,"pods":0,"replicas":1,"haReplicas":1},
           "shared-etcd":{"cpuMillis":0,"memoryMiB":0,"pods":0,"replicas":1,"haReplicas":1},
           "kine":{"cpuMillis":0,"memoryMiB":0,"pods":0,"replicas":1,"haReplicas":1}},
         "operators":{}}
        """)
                .getBytes(StandardCharsets.UTF_8));
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "fleet-scheduler-test-own");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("own").toString());
    driver =
        new TopologyTestDriver(
            FleetTopology.build(
                CellConfig.defaults(), own, Duration.ofSeconds(5), views, FleetMetrics.none()),
            p);
    requests =
        driver.createInputTopic(
            Topics.TENANT_REQUESTS.name(), new StringSerializer(), new ByteArraySerializer());
    reports =
        driver.createInputTopic(
            Topics.HOST_REPORTS.name(), new StringSerializer(), new ByteArraySerializer());
    events =
        driver.createOutputTopic(
            Topics.TENANT_EVENTS.name(), new StringDeserializer(), new ByteArrayDeserializer());
    host("h1", 1000);
    create("acme", "r1", "tiny");
    assertThat(events()).extracting(TenantEvent::type).containsExactly(TenantEvent.Type.PLACED);
  }
}
