package io.fleetplane.scheduler.query;

import io.fleetplane.events.Resources;
import java.time.Instant;

/**
 * One host as the scheduler sees it: what it reported, what the scheduler may commit there (limit),
 * what it has committed, and what is free.
 */
public record HostView(
    String clusterId,
    String region,
    String state,
    boolean overcommitted,
    Resources allocatable,
    Resources limit,
    Resources committed,
    Resources free,
    int tenants,
    Instant lastReport) {}
