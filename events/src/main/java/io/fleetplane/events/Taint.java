package io.fleetplane.events;

/** A taint on a host cluster: tenants that do not tolerate it are not placed there. */
public record Taint(String key, String value, String effect) {}
