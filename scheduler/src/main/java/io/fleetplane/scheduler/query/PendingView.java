package io.fleetplane.scheduler.query;

/** A tenant waiting for a host, and why. */
public record PendingView(
    String tenantId, String region, String plan, int priority, long seq, String reason) {}
