package io.fleetplane.scheduler.rest;

import io.fleetplane.scheduler.query.CellView;
import io.fleetplane.scheduler.query.LocalCells;
import io.fleetplane.scheduler.streams.StoreNames;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** What one instance answers for another: its own cells and its own partitions of a store. */
@Path("/api/internal")
@Produces(MediaType.APPLICATION_JSON)
public class InternalResource {

  private static final Set<String> STORES =
      Set.of(StoreNames.TENANT_HISTORY, StoreNames.TENANT_DIRECTORY, StoreNames.TENANTS);

  private final LocalCells local;
  private final KafkaStreams streams;
  private final Activity activity;

  public InternalResource(LocalCells local, KafkaStreams streams, Activity activity) {
    this.local = local;
    this.streams = streams;
    this.activity = activity;
  }

  @GET
  @Path("/activity")
  @Operation(hidden = true)
  public Activity.Snapshot activity() {
    return activity.snapshot();
  }

  @GET
  @Path("/cells")
  @Operation(hidden = true)
  public List<CellView> cells() {
    return local.all();
  }

  @GET
  @Path("/stores/{store}/{key}")
  @Operation(hidden = true)
  public Response store(@PathParam("store") String store, @PathParam("key") String key) {
    if (!STORES.contains(store)) {
      return Response.status(Response.Status.NOT_FOUND).build();
    }
    return StoreReads.local(streams, store, key)
        .map(v -> Response.ok(v).build())
        .orElse(Response.status(Response.Status.NOT_FOUND).build());
  }
}
