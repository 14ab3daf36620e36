package io.fleetplane.events.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import io.fleetplane.events.Limits;
import io.fleetplane.events.Problem;
import io.fleetplane.events.TenantEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@link TenantEvent} as JSON. */
public final class TenantEventCodec extends EventCodec<TenantEvent, TenantEventCodec.Draft> {

  public TenantEventCodec() {
    super("tenant event", Limits.TENANT_EVENT_BYTES);
  }

  static final class Draft {
    String tenantId;
    TenantEvent.Type type;
    TenantEvent.Source source;
    String clusterId;
    String requestId;
    Long generation;
    String reason;
    List<Problem> problems;
    Map<String, Long> refusals;
    Instant at;
  }

  @Override
  protected Draft newDraft() {
    return new Draft();
  }

  @Override
  protected void readField(String name, JsonReader in, Draft d) throws IOException {
    switch (name) {
      case "tenantId" -> d.tenantId = in.string("tenantId");
      case "type" -> d.type = in.wireEnum("type", TenantEvent.Type.class);
      case "source" -> d.source = in.wireEnum("source", TenantEvent.Source.class);
      case "clusterId" -> d.clusterId = in.string("clusterId");
      case "requestId" -> d.requestId = in.string("requestId");
      case "generation" -> d.generation = in.wholeNumber("generation", 0, Long.MAX_VALUE);
      case "reason" -> d.reason = in.string("reason");
      case "problems" ->
          d.problems =
              in.objectList("problems", p -> Fields.readProblem(p, in), new Problem("", ""));
      case "refusals" -> {
        Map<String, Long> m = new TreeMap<>();
        in.object(
            "refusals",
            reason -> {
              Long n = in.wholeNumber("refusals." + reason, 0, Long.MAX_VALUE);
              if (n != null) {
                m.put(reason, n);
              }
            });
        d.refusals = m;
      }
      case "at" -> d.at = in.instant("at");
      default -> in.skip();
    }
  }

  @Override
  protected TenantEvent finish(Draft d, JsonReader in) {
    Fields.required(in, "tenantId", d.tenantId, "");
    Fields.required(in, "type", d.type, "");
    Fields.required(in, "source", d.source, "scheduler or agent");
    Fields.required(in, "reason", d.reason, "why this happened, for a person");
    Fields.required(in, "at", d.at, "");
    if (!in.problems().isEmpty()) {
      return null;
    }
    return new TenantEvent(
        d.tenantId,
        d.type,
        d.source,
        d.clusterId,
        d.requestId,
        d.generation == null ? 0 : d.generation,
        d.reason,
        d.problems,
        d.refusals,
        d.at);
  }

  @Override
  protected void writeFields(TenantEvent e, JsonGenerator g) throws IOException {
    g.writeStringField("tenantId", e.tenantId());
    g.writeStringField("type", e.type().wire());
    g.writeStringField("source", e.source().wire());
    Fields.writeOptional(g, "clusterId", e.clusterId());
    Fields.writeOptional(g, "requestId", e.requestId());
    if (e.generation() != 0) {
      g.writeNumberField("generation", e.generation());
    }
    g.writeStringField("reason", e.reason());
    Fields.writeProblems(g, e.problems());
    if (!e.refusals().isEmpty()) {
      g.writeObjectFieldStart("refusals");
      for (Map.Entry<String, Long> r : new TreeMap<>(e.refusals()).entrySet()) {
        g.writeNumberField(r.getKey(), r.getValue());
      }
      g.writeEndObject();
    }
    g.writeStringField("at", e.at().toString());
  }
}
