package io.fleetplane.scheduler.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetplane.events.DeadLetter;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.Topics;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.events.plan.PlanCatalogue;
import io.fleetplane.scheduler.cell.CellConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request contract at the intake: a request id has no second effect for as long as the requests
 * topic keeps requests, a request aimed at an earlier incarnation touches no later one, and every
 * refusal carries the request's id to the tenant the record is keyed by.
 */
class RequestContractsTest {

  private static final Duration RETENTION = Duration.ofHours(1);

  @TempDir Path stateDir;

  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> requests;
  private TestInputTopic<String, byte[]> reports;
  private TestOutputTopic<String, byte[]> placements;
  private TestOutputTopic<String, byte[]> events;
  private TestOutputTopic<String, byte[]> dead;

  @BeforeEach
  void start() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "fleet-scheduler-contracts");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver =
        new TopologyTestDriver(
            FleetTopology.build(
                CellConfig.defaults(),
                PlanCatalogue.defaults(),
                Duration.ofSeconds(5),
                new io.fleetplane.scheduler.query.LocalCells(),
                FleetMetrics.none(),
                RETENTION),
            p);
    StringSerializer ks = new StringSerializer();
    ByteArraySerializer vs = new ByteArraySerializer();
    requests = driver.createInputTopic(Topics.TENANT_REQUESTS.name(), ks, vs);
    reports = driver.createInputTopic(Topics.HOST_REPORTS.name(), ks, vs);
    StringDeserializer kd = new StringDeserializer();
    ByteArrayDeserializer vd = new ByteArrayDeserializer();
    placements = driver.createOutputTopic(Topics.PLACEMENTS.name(), kd, vd);
    events = driver.createOutputTopic(Topics.TENANT_EVENTS.name(), kd, vd);
    dead = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), kd, vd);
    hostReports();
  }

  private void hostReports() {
    reports.pipeInput(
        "h1",
        bytes(
            "{\"v\":1,\"clusterId\":\"h1\",\"region\":\"eu-west\","
                + "\"allocatable\":{\"cpuMillis\":64000,\"memoryMiB\":262144,\"pods\":500},"
                + "\"capabilities\":{\"datastoreModes\":[\"dedicated-etcd\"]},"
                + "\"reportedAt\":\"2026-11-24T10:00:00Z\"}"));
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void send(String key, String json) {
    requests.pipeInput(key, bytes(json));
  }

  private void create(String tenant, String requestId) {
    send(
        tenant,
        "{\"v\":1,\"op\":\"CREATE\",\"tenantId\":\""
            + tenant
            + "\",\"requestId\":\""
            + requestId
            + "\",\"plan\":\"small\",\"region\":\"eu-west\"}");
  }

  private void delete(String tenant, String requestId) {
    send(
        tenant,
        "{\"v\":1,\"op\":\"DELETE\",\"tenantId\":\""
            + tenant
            + "\",\"requestId\":\""
            + requestId
            + "\"}");
  }

  private void resize(String tenant, String requestId, String plan) {
    send(
        tenant,
        "{\"v\":1,\"op\":\"UPDATE\",\"tenantId\":\""
            + tenant
            + "\",\"requestId\":\""
            + requestId
            + "\",\"plan\":\""
            + plan
            + "\"}");
  }

  private List<TenantEvent> events() {
    return events.readValuesToList().stream()
        .map(b -> Codecs.TENANT_EVENT.decode(b).orElseThrow())
        .toList();
  }

  private List<DeadLetter> deadLetters() {
    return dead.readValuesToList().stream()
        .map(b -> Codecs.DEAD_LETTER.decode(b).orElseThrow())
        .toList();
  }

  private String placedOn(String tenant) {
    String host = null;
    for (var kv : placements.readKeyValuesToList()) {
      if (kv.key.endsWith("/" + tenant)) {
        host = kv.value == null ? null : kv.key;
      }
    }
    return host;
  }

  @Test
  void anOldDeleteResentAfterManyNewerRequestsDoesNotDeleteTheNewIncarnation() {
    create("acme", "create-1");
    delete("acme", "delete-1");
    create("acme", "create-2");
    for (int i = 0; i < 40; i++) { // more than the 32 ids an earlier version remembered
      resize("acme", "resize-" + i, i % 2 == 0 ? "medium" : "small");
    }
    events.readValuesToList();

    delete("acme", "delete-1");
    resize("acme", "resize-0", "large");

    assertThat(events()).as("no event: both are repeats").isEmpty();
    assertThat(placedOn("acme")).isEqualTo("h1/acme");
  }

  @Test
  void aDeleteAimedAtAnEarlierIncarnationIsRefusedAndTouchesNothing() {
    create("acme", "create-1");
    delete("acme", "delete-1");
    create("acme", "create-2");
    events.readValuesToList();

    send(
        "acme",
        "{\"v\":1,\"op\":\"DELETE\",\"tenantId\":\"acme\",\"requestId\":\"late-delete\","
            + "\"incarnation\":\"create-1\"}");
    send(
        "acme",
        "{\"v\":1,\"op\":\"UPDATE\",\"tenantId\":\"acme\",\"requestId\":\"late-resize\","
            + "\"plan\":\"large\",\"incarnation\":\"create-1\"}");

    List<TenantEvent> e = events();
    assertThat(e).extracting(TenantEvent::type).containsOnly(TenantEvent.Type.REJECTED);
    assertThat(e).extracting(TenantEvent::requestId).containsExactly("late-delete", "late-resize");
    assertThat(e.get(0).reason())
        .isEqualTo(
            "the delete is for tenant acme as created by request create-1, but that tenant was"
                + " deleted and acme is now the one created by request create-2: nothing was"
                + " changed");
    assertThat(placedOn("acme")).isEqualTo("h1/acme");

    send(
        "acme",
        "{\"v\":1,\"op\":\"DELETE\",\"tenantId\":\"acme\",\"requestId\":\"right-delete\","
            + "\"incarnation\":\"create-2\"}");
    assertThat(events())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.type()).isEqualTo(TenantEvent.Type.RELEASED);
              assertThat(r.requestId()).isEqualTo("right-delete");
            });
  }

  @Test
  void releasedAndResizedCarryTheRequestThatCausedThem() {
    create("acme", "create-1");
    resize("acme", "resize-1", "medium");
    delete("acme", "delete-1");
    assertThat(events())
        .extracting(e -> e.type() + " " + e.requestId())
        .containsExactly("PLACED create-1", "RESIZED resize-1", "RELEASED delete-1");
  }

  @Test
  void requestIdsAreForgottenAfterTheRetentionAndNotBefore() {
    create("acme", "create-1");
    delete("acme", "delete-1");
    KeyValueStore<Bytes, Long> ids = driver.getKeyValueStore(StoreNames.REQUEST_IDS);
    assertThat(ids.approximateNumEntries()).isEqualTo(2);

    driver.advanceWallClockTime(RETENTION.minusMinutes(1));
    create("acme", "create-1");
    assertThat(events())
        .extracting(TenantEvent::type)
        .as("still remembered: the re-sent CREATE has no effect")
        .containsExactly(TenantEvent.Type.PLACED, TenantEvent.Type.RELEASED);

    // The sweep runs on the wall clock. At 89 min delete-1 (seen at 0) is past the hour; create-1
    // was seen again at 59 min and is not.
    driver.advanceWallClockTime(Duration.ofMinutes(30));
    assertThat(countEntries(ids)).isEqualTo(1);
    driver.advanceWallClockTime(RETENTION);
    assertThat(countEntries(ids)).isZero();
    hostReports(); // silent for hours, it would be unreachable
    create("acme", "create-1");
    assertThat(events())
        .extracting(TenantEvent::type)
        .as("beyond the retention a re-sent id is a new request")
        .containsExactly(TenantEvent.Type.PLACED);
  }

  private static long countEntries(KeyValueStore<Bytes, Long> store) {
    long n = 0;
    try (var it = store.all()) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }

  @Test
  void aRequestOlderThanTheRetentionIsRefusedAsUnknowable() {
    send(
        "acme",
        "{\"v\":1,\"op\":\"CREATE\",\"tenantId\":\"acme\",\"requestId\":\"old-1\","
            + "\"plan\":\"small\",\"region\":\"eu-west\",\"requestedAt\":\"2020-01-01T00:00:00Z\"}");
    TenantEvent e = events().get(0);
    assertThat(e.type()).isEqualTo(TenantEvent.Type.REJECTED);
    assertThat(e.requestId()).isEqualTo("old-1");
    assertThat(e.reason()).contains("is more than PT1H ago").contains("new requestId");
  }

  @Test
  void aRefusedValueStillCarriesItsRequestIdToTheTenantOfItsKey() {
    send(
        "acme",
        "{\"v\":1,\"op\":\"CREATE\",\"tenantId\":\"acme\",\"requestId\":\"r-plan\","
            + "\"plan\":\"huge\",\"region\":\"eu-west\"}");
    send("acme", "{\"v\":1,\"op\":\"CREATE\",\"tenantId\":\"acme\",\"requestId\":\"r-cut\",");
    send(
        "acme",
        "{\"v\":1,\"op\":\"CREATE\",\"tenantId\":\"Acme_Prod\",\"requestId\":\"r-id\","
            + "\"plan\":\"small\",\"region\":\"eu-west\"}");
    send(
        "acme",
        "{\"v\":1,\"op\":\"DELETE\",\"tenantId\":\"acme\",\"requestId\":\"r-twice\","
            + "\"plan\":\"a\",\"plan\":\"b\"}");
    send(
        "acme",
        "{\"v\":1,\"op\":\"DELETE\",\"tenantId\":\"acme\",\"requestId\":\"r-1\","
            + "\"requestId\":\"r-2\"}");
    send(
        "acme",
        "{\"v\":1,\"op\":\"CREATE\",\"tenantId\":\"other\",\"requestId\":\"r-key\","
            + "\"plan\":\"small\",\"region\":\"eu-west\"}");

    List<TenantEvent> e = events();
    assertThat(e).extracting(TenantEvent::tenantId).containsOnly("acme");
    assertThat(e).extracting(TenantEvent::type).containsOnly(TenantEvent.Type.REJECTED);
    assertThat(e)
        .extracting(TenantEvent::requestId)
        .as("a request id given twice names none: which one would be a guess")
        .containsExactly("r-plan", "r-cut", "r-id", "r-twice", null, "r-key");
    assertThat(deadLetters()).hasSize(6);
  }
}
