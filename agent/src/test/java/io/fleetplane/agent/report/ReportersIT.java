package io.fleetplane.agent.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fleetplane.agent.Fixtures;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.crd.TenantControlPlaneStatus;
import io.fleetplane.agent.host.KubernetesHostCluster;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Dimension;
import io.fleetplane.events.HostReport;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.Resources;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.Topics;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.testkit.KafkaBroker;
import io.fleetplane.testkit.KafkaBrokers;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reporters against a real broker (their own) and the CRUD API server. */
@EnableKubernetesMockClient(crud = true)
class ReportersIT {

  static KafkaBroker kafka;
  KubernetesClient client;

  private final HostFacts facts =
      new HostFacts(
          "eu-h1",
          "eu-west",
          Map.of("tier", "gold"),
          Set.of(DatastoreMode.SHARED_ETCD),
          50,
          "0.1.0");

  @BeforeAll
  static void broker() throws Exception {
    kafka = KafkaBrokers.start();
    kafka.createTopics(
        List.of(Topics.HOST_REPORTS.newTopic((short) 1), Topics.TENANT_EVENTS.newTopic((short) 1)));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    kafka.close();
  }

  @BeforeEach
  void crd() {
    Fixtures.installCrd(client);
  }

  private KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(
        kafka.clientProperties(), new StringSerializer(), new ByteArraySerializer());
  }

  private <T> List<T> read(String topic, java.util.function.Function<byte[], T> decode, int n) {
    Properties c = kafka.clientProperties();
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "t-" + UUID.randomUUID());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<T> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(r -> out.add(decode.apply(r.value())));
                return out.size() >= n;
              });
    }
    return out;
  }

  private void node(String name, boolean schedulable, String zone) {
    client
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(
                    Map.of("topology.kubernetes.io/zone", zone, "fleetplane.io/gvisor", "true"))
                .endMetadata()
                .withNewSpec()
                .withUnschedulable(!schedulable)
                .endSpec()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .withAllocatable(
                    Map.of(
                        "cpu", new Quantity("8"),
                        "memory", new Quantity("32Gi"),
                        "pods", new Quantity("110")))
                .endStatus()
                .build())
        .create();
  }

  @Test
  void reportsTheClusterAndReportsAgainOnlyOnASignificantChange() throws Exception {
    node("n1", true, "a");
    node("n2", true, "b");
    node("n3", false, "c"); // cordoned: counted in total only
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("coredns")
                .withNamespace("kube-system")
                .endMetadata()
                .withNewSpec()
                .withNodeName("n1")
                .addNewContainer()
                .withName("dns")
                .withImage("coredns")
                .withNewResources()
                .withRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("70Mi")))
                .endResources()
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .endStatus()
                .build())
        .create();
    client
        .resource(
            new RuntimeClassBuilder()
                .withNewMetadata()
                .withName("gvisor")
                .endMetadata()
                .withHandler("runsc")
                .build())
        .create();

    // Storage: the default class's driver can still provision 500 GiB; a tenant's etcd holds 24.
    client
        .resource(
            new io.fabric8.kubernetes.api.model.storage.StorageClassBuilder()
                .withNewMetadata()
                .withName("fast")
                .withAnnotations(Map.of("storageclass.kubernetes.io/is-default-class", "true"))
                .endMetadata()
                .withProvisioner("csi.example.com")
                .build())
        .create();
    client
        .resource(
            new io.fabric8.kubernetes.api.model.storage.CSIStorageCapacityBuilder()
                .withNewMetadata()
                .withName("csisc-fast-a")
                .withNamespace("kube-system")
                .endMetadata()
                .withStorageClassName("fast")
                .withCapacity(new Quantity("500Gi"))
                .build())
        .create();
    client
        .resource(
            new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("data-etcd-0")
                .withNamespace("tenant-acme")
                .withLabels(Map.of(io.fleetplane.agent.model.Labels.TENANT, "acme"))
                .endMetadata()
                .withNewSpec()
                .withStorageClassName("fast")
                .withNewResources()
                .withRequests(Map.of("storage", new Quantity("24Gi")))
                .endResources()
                .endSpec()
                .withNewStatus()
                .withPhase("Bound")
                .withCapacity(Map.of("storage", new Quantity("24Gi")))
                .endStatus()
                .build())
        .create();

    try (KafkaProducer<String, byte[]> producer = producer();
        KubernetesHostCluster cluster = new KubernetesHostCluster(client)) {
      HostReporter reporter =
          new HostReporter(cluster, facts, producer, Clock.systemUTC(), Duration.ofMinutes(1));
      await().atMost(Duration.ofSeconds(10)).until(() -> reporter.current().nodes().total() == 3);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> reporter.current().capabilities().gvisor());
      assertThat(reporter.maybeReport()).isTrue();
      assertThat(reporter.maybeReport()).as("nothing changed, period not over").isFalse();
      node("n4", true, "a"); // +8 CPU of 16: significant
      await().atMost(Duration.ofSeconds(10)).until(reporter::maybeReport);
      producer.flush();
    }

    List<HostReport> reports =
        read(Topics.HOST_REPORTS.name(), b -> Codecs.HOST_REPORT.decode(b).orElseThrow(), 2);
    HostReport first = reports.get(0);
    // 2 schedulable ready nodes x (8000m, 32768 MiB, 110 pods); the cordoned n3 adds nothing
    // storage: 500 GiB the driver can still provision + the 24 the fleet's claim holds
    assertThat(first.allocatable())
        .isEqualTo(new Resources(16_000, 65_536, 220).with(Dimension.STORAGE, 524));
    assertThat(first.tenantUsed().storageGiB()).isEqualTo(24);
    assertThat(first.unmanagedUsed()).isEqualTo(new Resources(100, 70, 1));
    assertThat(first.nodes()).isEqualTo(new HostReport.NodeCounts(2, 3));
    assertThat(first.zones()).containsExactly("a", "b");
    assertThat(first.capabilities().gvisor()).isTrue();
    assertThat(first.capabilities().sharedEtcdHeadroom()).isEqualTo(50);
    assertThat(first.region()).isEqualTo("eu-west");
    assertThat(reports.get(1).allocatable().cpuMillis()).isEqualTo(24_000);
  }

  @Test
  void reportsDeletedOnlyOnceTheTenantsNamespaceIsGone() throws Exception {
    try (KafkaProducer<String, byte[]> producer = producer();
        KubernetesHostCluster cluster = new KubernetesHostCluster(client);
        StatusReporter reporter =
            new StatusReporter(cluster, "eu-h1", producer, Clock.systemUTC())) {
      new KubernetesHostCluster(client)
          .apply(
              TenantControlPlaneSpec.of(
                  Fixtures.placement(
                      "eu-h1", "slow-go", "small", 1, DatastoreMode.SHARED_ETCD, Isolation.RUNC)));
      client
          .namespaces()
          .resource(
              new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                  .withNewMetadata()
                  .withName(io.fleetplane.agent.model.TenantNames.namespace("slow-go"))
                  .endMetadata()
                  .build())
          .create();
      client.resources(TenantControlPlane.class).withName("slow-go").delete();
      Thread.sleep(2500); // the namespace is still terminating: nothing yet
      producer.flush();
      assertThat(eventsOf("slow-go", Duration.ofSeconds(1))).isEmpty();

      client
          .namespaces()
          .withName(io.fleetplane.agent.model.TenantNames.namespace("slow-go"))
          .delete();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                producer.flush();
                return !eventsOf("slow-go", Duration.ofMillis(500)).isEmpty();
              });
      assertThat(eventsOf("slow-go", Duration.ofSeconds(1)))
          .extracting(TenantEvent::type)
          .containsExactly(TenantEvent.Type.DELETED);
    }
  }

  /** The tenant events of one tenant on the topic so far. */
  private List<TenantEvent> eventsOf(String tenant, Duration wait) {
    Properties c = kafka.clientProperties();
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "t-" + UUID.randomUUID());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<TenantEvent> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.TENANT_EVENTS.name()));
      long until = System.nanoTime() + wait.toNanos() + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() < until) {
        consumer
            .poll(Duration.ofMillis(200))
            .forEach(
                r -> {
                  if (tenant.equals(r.key())) {
                    out.add(Codecs.TENANT_EVENT.decode(r.value()).orElseThrow());
                  }
                });
      }
    }
    return out;
  }

  @Test
  void publishesTheTenantsLifecycleFromItsStatus() throws Exception {
    try (KafkaProducer<String, byte[]> producer = producer();
        KubernetesHostCluster cluster = new KubernetesHostCluster(client);
        StatusReporter reporter =
            new StatusReporter(cluster, "eu-h1", producer, Clock.systemUTC())) {
      new KubernetesHostCluster(client)
          .apply(
              TenantControlPlaneSpec.of(
                  Fixtures.placement(
                      "eu-h1", "acme", "small", 3, DatastoreMode.SHARED_ETCD, Isolation.RUNC)));
      for (String phase : List.of("Provisioning", "Ready")) {
        TenantControlPlane t = client.resources(TenantControlPlane.class).withName("acme").get();
        TenantControlPlaneStatus s = new TenantControlPlaneStatus();
        s.setPhase(phase);
        s.setMessage(phase + " now");
        t.setStatus(s);
        client.resource(t).updateStatus();
        Thread.sleep(300);
      }
      client.resources(TenantControlPlane.class).withName("acme").delete();
      Thread.sleep(500);
      producer.flush();
    }
    List<TenantEvent> events =
        read(Topics.TENANT_EVENTS.name(), b -> Codecs.TENANT_EVENT.decode(b).orElseThrow(), 3);
    assertThat(events)
        .extracting(TenantEvent::type)
        .containsExactly(
            TenantEvent.Type.PROVISIONING, TenantEvent.Type.READY, TenantEvent.Type.DELETED);
    assertThat(events).allSatisfy(e -> assertThat(e.source()).isEqualTo(TenantEvent.Source.AGENT));
    assertThat(events.get(1).reason()).isEqualTo("Ready now");
    assertThat(events.get(1).generation()).isEqualTo(3);
  }
}
