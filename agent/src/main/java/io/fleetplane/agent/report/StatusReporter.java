package io.fleetplane.agent.report;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.Topics;
import io.fleetplane.events.codec.Codecs;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Turns the controller's status changes into {@link TenantEvent}s from the agent: Provisioning,
 * Ready and Failed when a tenant's phase changes (with the status message as the reason), Deleted
 * when its resource is gone. Keyed by tenant id on {@code fleet.tenant-events}.
 */
public final class StatusReporter implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(StatusReporter.class);

  private final String clusterId;
  private final Producer<String, byte[]> producer;
  private final Clock clock;
  private final SharedIndexInformer<TenantControlPlane> informer;

  public StatusReporter(
      KubernetesClient client, String clusterId, Producer<String, byte[]> producer, Clock clock) {
    this.clusterId = clusterId;
    this.producer = producer;
    this.clock = clock;
    this.informer =
        client
            .resources(TenantControlPlane.class)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(TenantControlPlane t) {
                    phase(null, t);
                  }

                  @Override
                  public void onUpdate(TenantControlPlane before, TenantControlPlane after) {
                    phase(before, after);
                  }

                  @Override
                  public void onDelete(TenantControlPlane t, boolean finalStateUnknown) {
                    publish(t, TenantEvent.Type.DELETED, "the tenant's objects were removed");
                  }
                });
  }

  /** The event type of a status phase, or null for a phase that is not a lifecycle step. */
  static TenantEvent.Type typeOf(String phase) {
    if (phase == null) {
      return null;
    }
    return switch (phase.toLowerCase(Locale.ROOT)) {
      case "provisioning" -> TenantEvent.Type.PROVISIONING;
      case "ready" -> TenantEvent.Type.READY;
      case "failed" -> TenantEvent.Type.FAILED;
      default -> null;
    };
  }

  private void phase(TenantControlPlane before, TenantControlPlane after) {
    String was =
        before == null || before.getStatus() == null ? null : before.getStatus().getPhase();
    String now = after.getStatus() == null ? null : after.getStatus().getPhase();
    TenantEvent.Type type = typeOf(now);
    if (type == null || Objects.equals(was, now)) {
      return;
    }
    publish(after, type, after.getStatus().getMessage());
  }

  private void publish(TenantControlPlane t, TenantEvent.Type type, String reason) {
    String tenant = t.getSpec() == null ? t.getMetadata().getName() : t.getSpec().getTenantId();
    TenantEvent e =
        new TenantEvent(
            tenant,
            type,
            TenantEvent.Source.AGENT,
            clusterId,
            null,
            t.getSpec() == null ? 0 : t.getSpec().getPlacementGeneration(),
            reason == null ? type.wire().toLowerCase(Locale.ROOT) : reason,
            List.of(),
            Map.of(),
            clock.instant());
    producer.send(
        new ProducerRecord<>(Topics.TENANT_EVENTS.name(), tenant, Codecs.TENANT_EVENT.encode(e)),
        (md, ex) -> {
          if (ex != null) {
            LOG.warnf("%s event for %s not delivered yet: %s", type, tenant, ex.toString());
          }
        });
  }

  @Override
  public void close() {
    informer.close();
  }
}
