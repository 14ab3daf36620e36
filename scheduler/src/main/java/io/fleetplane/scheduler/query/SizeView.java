package io.fleetplane.scheduler.query;

import io.fleetplane.events.Resources;

/** How many of a cell's placed tenants take one size. */
public record SizeView(Resources size, int tenants) {}
