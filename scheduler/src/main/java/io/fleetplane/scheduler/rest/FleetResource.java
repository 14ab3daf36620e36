package io.fleetplane.scheduler.rest;

import io.fleetplane.scheduler.query.CellView;
import io.fleetplane.scheduler.query.HostView;
import io.fleetplane.scheduler.query.PendingView;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The fleet's capacity and tenants, for people, dashboards and scripts. Answers from this
 * instance's cells and stores, and asks the other instances of the application for theirs (see
 * {@link FleetQueries}).
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class FleetResource {

  private final FleetQueries queries;

  public FleetResource(FleetQueries queries) {
    this.queries = queries;
  }

  /**
   * Everything the capacity dashboard shows at once: totals and regions, hosts by state, stranded
   * capacity, the first waiting tenants, placements per second over five minutes, rejections.
   */
  @GET
  @Path("/dashboard")
  public Dashboard.Page dashboard(@QueryParam("pending") @DefaultValue("20") int pending) {
    return Dashboard.page(
        queries.allCells(), queries.activity(), Math.max(0, Math.min(pending, 1000)));
  }

  /** Every host's fill and state, compactly, for the dashboard's heat map. */
  @GET
  @Path("/heatmap")
  public Dashboard.HeatMap heatMap() {
    return Dashboard.heatMap(queries.allCells());
  }

  /** Totals of the whole fleet, and per region. */
  @GET
  @Path("/fleet")
  public Summaries.Fleet fleet() {
    return Summaries.fleet(queries.allCells());
  }

  /** One region: its totals and a page of its hosts, by id. */
  @GET
  @Path("/regions/{region}")
  public Response region(
      @PathParam("region") String region,
      @QueryParam("offset") @DefaultValue("0") int offset,
      @QueryParam("limit") @DefaultValue("100") int limit) {
    Optional<CellView> cell =
        queries.allCells().stream().filter(c -> c.cell().equals(region)).findFirst();
    if (cell.isEmpty()) {
      return notFound("no region " + region + " (no host of it has reported)");
    }
    List<HostView> hosts = cell.get().hosts();
    int from = Math.min(Math.max(offset, 0), hosts.size());
    int to = Math.min(from + Math.max(1, Math.min(limit, 1000)), hosts.size());
    return Response.ok(
            new Summaries.RegionPage(
                Summaries.region(cell.get()), from, hosts.size(), hosts.subList(from, to)))
        .build();
  }

  /** One host: reported capacity, limit, committed, free, tenants, state. */
  @GET
  @Path("/hosts/{clusterId}")
  public Response host(@PathParam("clusterId") String clusterId) {
    for (CellView c : queries.allCells()) {
      for (HostView h : c.hosts()) {
        if (h.clusterId().equals(clusterId)) {
          return Response.ok(h).build();
        }
      }
    }
    return notFound("no host " + clusterId + " has reported");
  }

  /** One tenant: its placement (or place in the queue) and its recent lifecycle events. */
  @GET
  @Path("/tenants/{tenantId}")
  public Response tenant(@PathParam("tenantId") String tenantId) {
    Optional<FleetQueries.Tenant> t = queries.tenant(tenantId);
    return t.isPresent() ? Response.ok(t.get()).build() : notFound("no tenant " + tenantId);
  }

  /** Tenants waiting for a host, best first, with the reason each waits. */
  @GET
  @Path("/pending")
  public List<PendingView> pending(@QueryParam("limit") @DefaultValue("100") int limit) {
    return queries.allCells().stream()
        .flatMap(c -> c.waiting().stream())
        .sorted(
            Comparator.comparingInt((PendingView p) -> -p.priority())
                .thenComparingLong(PendingView::seq))
        .limit(Math.max(1, Math.min(limit, 1000)))
        .toList();
  }

  private static Response notFound(String message) {
    return Response.status(Response.Status.NOT_FOUND).entity(new Summaries.Error(message)).build();
  }
}
