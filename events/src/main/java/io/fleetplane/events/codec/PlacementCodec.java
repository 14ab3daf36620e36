package io.fleetplane.events.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import io.fleetplane.events.Datastore;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.Limits;
import io.fleetplane.events.Names;
import io.fleetplane.events.Placement;
import io.fleetplane.events.Resources;
import java.io.IOException;
import java.time.Instant;

/** {@link Placement} as JSON. A tombstone (null value) is not a placement: it releases. */
public final class PlacementCodec extends EventCodec<Placement, PlacementCodec.Draft> {

  public PlacementCodec() {
    super("placement", Limits.PLACEMENT_BYTES);
  }

  static final class Draft {
    String tenantId;
    String clusterId;
    Long generation;
    String plan;
    Datastore datastore;
    Isolation isolation;
    Resources resources;
    Boolean highAvailability;
    Integer storageGi;
    Integer priority;
    String requestId;
    Instant placedAt;
  }

  @Override
  protected Draft newDraft() {
    return new Draft();
  }

  @Override
  protected void readField(String name, JsonReader in, Draft d) throws IOException {
    switch (name) {
      case "tenantId" -> d.tenantId = in.string("tenantId");
      case "clusterId" -> d.clusterId = in.string("clusterId");
      case "generation" -> d.generation = in.wholeNumber("generation", 1, Long.MAX_VALUE);
      case "plan" -> d.plan = in.string("plan");
      case "datastore" -> d.datastore = Fields.readDatastore("datastore", in);
      case "isolation" -> d.isolation = in.wireEnum("isolation", Isolation.class);
      case "resources" -> d.resources = Fields.readResources("resources", in, Fields.Absent.ZERO);
      case "highAvailability" -> d.highAvailability = in.bool("highAvailability");
      case "storageGi" -> d.storageGi = in.intValue("storageGi", 1, Integer.MAX_VALUE);
      case "priority" -> d.priority = in.intValue("priority", 0, Integer.MAX_VALUE);
      case "requestId" -> d.requestId = in.string("requestId");
      case "placedAt" -> d.placedAt = in.instant("placedAt");
      default -> in.skip();
    }
  }

  @Override
  protected Placement finish(Draft d, JsonReader in) {
    if (Fields.required(in, "tenantId", d.tenantId, "") != null) {
      String p = Names.problemWithTenantId(d.tenantId);
      if (p != null) {
        in.problem("tenantId", p);
      }
    }
    if (Fields.required(in, "clusterId", d.clusterId, "") != null) {
      String p = Names.problemWithLabelName("cluster id", d.clusterId);
      if (p != null) {
        in.problem("clusterId", p);
      }
    }
    Fields.required(in, "generation", d.generation, "1 or more");
    Fields.required(in, "plan", d.plan, "");
    Fields.required(in, "datastore", d.datastore, "");
    Fields.required(in, "isolation", d.isolation, "gvisor or runc");
    Fields.required(in, "resources", d.resources, "what the scheduler committed");
    if (!in.problems().isEmpty()) {
      return null;
    }
    return new Placement(
        d.tenantId,
        d.clusterId,
        d.generation,
        d.plan,
        d.datastore,
        d.isolation,
        d.resources,
        Boolean.TRUE.equals(d.highAvailability),
        d.storageGi,
        d.priority == null ? 0 : d.priority,
        d.requestId,
        d.placedAt);
  }

  @Override
  protected void writeFields(Placement p, JsonGenerator g) throws IOException {
    g.writeStringField("tenantId", p.tenantId());
    g.writeStringField("clusterId", p.clusterId());
    g.writeNumberField("generation", p.generation());
    g.writeStringField("plan", p.plan());
    Fields.writeDatastore(g, p.datastore());
    g.writeStringField("isolation", p.isolation().wire());
    Fields.writeResources(g, "resources", p.resources());
    if (p.highAvailability()) {
      g.writeBooleanField("highAvailability", true);
    }
    Fields.writeOptional(g, "storageGi", p.storageGi());
    g.writeNumberField("priority", p.priority());
    Fields.writeOptional(g, "requestId", p.requestId());
    Fields.writeOptional(g, "placedAt", p.placedAt());
  }
}
