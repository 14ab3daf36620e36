package io.fleetplane.events.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import io.fleetplane.events.Datastore;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.Limits;
import io.fleetplane.events.Names;
import io.fleetplane.events.Op;
import io.fleetplane.events.Problem;
import io.fleetplane.events.TenantRequest;
import io.fleetplane.events.Toleration;
import io.fleetplane.events.plan.PlanCatalogue;
import io.fleetplane.events.validation.TenantRequestValidator;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link TenantRequest} as JSON. Decoding also validates (see {@link TenantRequestValidator}) and
 * applies CREATE's defaults: datastore dedicated-etcd, isolation runc.
 */
public final class TenantRequestCodec extends EventCodec<TenantRequest, TenantRequestCodec.Draft> {

  /** Null in a codec that reads back what a validating one wrote (see {@link #trusting}). */
  private final TenantRequestValidator validator;

  public TenantRequestCodec(PlanCatalogue catalogue) {
    this(new TenantRequestValidator(catalogue));
  }

  private TenantRequestCodec(TenantRequestValidator validator) {
    super("tenant request", Limits.TENANT_REQUEST_BYTES);
    this.validator = validator;
  }

  /**
   * A codec that checks only the JSON and the types, not the rules: for reading back requests that
   * a validating codec has already accepted (the scheduler's internal topics), where checking again
   * would only cost time, and where a plan withdrawn from the catalogue since must not make a
   * request that was accepted unreadable.
   */
  public static TenantRequestCodec trusting() {
    return new TenantRequestCodec((TenantRequestValidator) null);
  }

  static final class Draft {
    Op op;
    String tenantId;
    String requestId;
    String plan;
    Datastore datastore;
    Isolation isolation;
    String region;
    Map<String, String> requiredLabels;
    List<Toleration> tolerations;
    Boolean highAvailability;
    Integer storageGi;
    Integer priority;
    Instant requestedAt;
    String incarnation;
  }

  @Override
  protected Draft newDraft() {
    return new Draft();
  }

  @Override
  protected void readField(String name, JsonReader in, Draft d) throws IOException {
    switch (name) {
      case "op" -> d.op = in.wireEnum("op", Op.class);
      case "tenantId" -> d.tenantId = in.string("tenantId");
      case "requestId" -> d.requestId = in.string("requestId");
      case "plan" -> d.plan = in.string("plan");
      case "datastore" -> d.datastore = Fields.readDatastore("datastore", in);
      case "isolation" -> d.isolation = in.wireEnum("isolation", Isolation.class);
      case "region" -> d.region = in.string("region");
      case "requiredLabels" -> d.requiredLabels = in.stringMap("requiredLabels");
      case "tolerations" ->
          d.tolerations =
              in.objectList(
                  "tolerations",
                  p -> Fields.readToleration(p, in),
                  new Toleration(null, null, null));
      case "highAvailability" -> d.highAvailability = in.bool("highAvailability");
      // Ranges are the validator's; here only "is it a number that fits".
      case "storageGi" ->
          d.storageGi =
              bounded(
                  in,
                  "storageGi",
                  TenantRequestValidator.MIN_STORAGE_GI,
                  TenantRequestValidator.MAX_STORAGE_GI);
      case "priority" ->
          d.priority = bounded(in, "priority", 0, TenantRequestValidator.MAX_PRIORITY);
      case "requestedAt" -> d.requestedAt = in.instant("requestedAt");
      case "incarnation" -> d.incarnation = in.string("incarnation");
      default -> in.skip();
    }
  }

  /**
   * A whole number; beyond an int it is refused here with the real range (the validator checks the
   * range of anything that fits an int, with the same message).
   */
  private static Integer bounded(JsonReader in, String field, int min, int max) throws IOException {
    Long v = in.wholeNumber(field, Long.MIN_VALUE, Long.MAX_VALUE);
    if (v == null) {
      return null;
    }
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      in.problem(field, "must be between " + min + " and " + max + ", got " + v);
      return null;
    }
    return v.intValue();
  }

  @Override
  protected TenantRequest finish(Draft d, JsonReader in) {
    Datastore datastore = d.datastore;
    Isolation isolation = d.isolation;
    if (d.op == Op.CREATE) {
      if (datastore == null && !in.hasProblem("datastore") && !in.hasProblem("datastore.mode")) {
        datastore = Datastore.of(DatastoreMode.DEDICATED_ETCD);
      }
      if (isolation == null && !in.hasProblem("isolation")) {
        isolation = Isolation.RUNC;
      }
    }
    TenantRequest r =
        new TenantRequest(
            d.op,
            d.tenantId,
            d.requestId,
            d.plan,
            datastore,
            isolation,
            d.region,
            d.requiredLabels,
            d.tolerations,
            Boolean.TRUE.equals(d.highAvailability),
            d.storageGi,
            d.priority,
            d.requestedAt,
            d.incarnation);
    if (validator == null) {
      return in.problems().isEmpty() ? r : null;
    }
    List<Problem> semantic = new ArrayList<>(0);
    validator.validate(r, semantic);
    // A field that could not be read (or what holds it) is null here: don't also call it
    // "required". Decided against the reading's problems only, before any rule's is added.
    List<Problem> kept = new ArrayList<>(semantic.size());
    for (Problem p : semantic) {
      if (p.field().isEmpty() || !in.hasProblemAtOrAbove(p.field())) {
        kept.add(p);
      }
    }
    kept.forEach(p -> in.problem(p.field(), p.message()));
    return in.problems().isEmpty() ? r : null;
  }

  @Override
  protected void writeFields(TenantRequest r, JsonGenerator g) throws IOException {
    Fields.writeOptional(g, "op", r.op() == null ? null : r.op().wire());
    Fields.writeOptional(g, "tenantId", r.tenantId());
    Fields.writeOptional(g, "requestId", r.requestId());
    Fields.writeOptional(g, "plan", r.plan());
    Fields.writeDatastore(g, r.datastore());
    Fields.writeOptional(g, "isolation", r.isolation() == null ? null : r.isolation().wire());
    Fields.writeOptional(g, "region", r.region());
    Fields.writeStringMap(g, "requiredLabels", r.requiredLabels());
    List<String[]> tolerations = new ArrayList<>(r.tolerations().size());
    for (Toleration t : r.tolerations()) {
      tolerations.add(new String[] {t.key(), t.value(), t.effect()});
    }
    Fields.writeKeyValueEffects(g, "tolerations", tolerations);
    if (r.highAvailability()) {
      g.writeBooleanField("highAvailability", true);
    }
    Fields.writeOptional(g, "storageGi", r.storageGi());
    Fields.writeOptional(g, "priority", r.priority());
    Fields.writeOptional(g, "requestedAt", r.requestedAt());
    Fields.writeOptional(g, "incarnation", r.incarnation());
  }

  /** The tenant and request ids of a refused request, where each is valid, for its REJECTED. */
  @Override
  protected Map<String, String> identity(Draft d) {
    Map<String, String> ids = new java.util.HashMap<>(2);
    if (d.tenantId != null && Names.problemWithTenantId(d.tenantId) == null) {
      ids.put("tenantId", d.tenantId);
    }
    if (d.requestId != null && TenantRequestValidator.problemWithRequestId(d.requestId) == null) {
      ids.put("requestId", d.requestId);
    }
    return ids;
  }
}
