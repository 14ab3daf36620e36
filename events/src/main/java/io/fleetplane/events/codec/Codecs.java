package io.fleetplane.events.codec;

import io.fleetplane.events.plan.PlanCatalogue;

/** The codecs, one per event type. Codecs are immutable and thread-safe. */
public final class Codecs {

  private Codecs() {}

  public static final PlacementCodec PLACEMENT = new PlacementCodec();
  public static final HostReportCodec HOST_REPORT = new HostReportCodec();
  public static final TenantEventCodec TENANT_EVENT = new TenantEventCodec();
  public static final HostCommandCodec HOST_COMMAND = new HostCommandCodec();
  public static final DeadLetterCodec DEAD_LETTER = new DeadLetterCodec();

  /** Tenant requests are checked against a plan catalogue. */
  public static TenantRequestCodec tenantRequest(PlanCatalogue catalogue) {
    return new TenantRequestCodec(catalogue);
  }

  /** Tenant requests checked against the built-in catalogue. */
  public static TenantRequestCodec tenantRequest() {
    return DefaultRequests.CODEC;
  }

  private static final class DefaultRequests {
    static final TenantRequestCodec CODEC = new TenantRequestCodec(PlanCatalogue.defaults());
  }
}
