package io.fleetplane.events;

/** What a {@link TenantRequest} asks for. */
public enum Op implements WireEnum {
  CREATE,
  UPDATE,
  DELETE;

  @Override
  public String wire() {
    return name();
  }
}
