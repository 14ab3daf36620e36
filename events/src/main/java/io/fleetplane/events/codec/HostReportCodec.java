package io.fleetplane.events.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Dimension;
import io.fleetplane.events.HostReport;
import io.fleetplane.events.Limits;
import io.fleetplane.events.Names;
import io.fleetplane.events.Resources;
import io.fleetplane.events.Taint;
import io.fleetplane.events.WireEnum;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@link HostReport} as JSON. Decoding refuses nonsense capacity with a reason. */
public final class HostReportCodec extends EventCodec<HostReport, HostReportCodec.Draft> {

  /** More nodes than any real cluster has (Kubernetes supports 5,000). */
  public static final int MAX_NODES = 100_000;

  public HostReportCodec() {
    super("host report", Limits.HOST_REPORT_BYTES);
  }

  static final class Draft {
    String clusterId;
    String region;
    List<String> zones;
    Map<String, String> labels;
    List<Taint> taints;
    Resources allocatable;
    Resources unmanagedUsed;
    Resources tenantUsed;
    HostReport.Capabilities capabilities;
    HostReport.NodeCounts nodes;
    Integer tenantsRunning;
    String agentVersion;
    Instant reportedAt;
  }

  @Override
  protected Draft newDraft() {
    return new Draft();
  }

  @Override
  protected void readField(String name, JsonReader in, Draft d) throws IOException {
    switch (name) {
      case "clusterId" -> d.clusterId = in.string("clusterId");
      case "region" -> d.region = in.string("region");
      case "zones" -> d.zones = in.stringList("zones");
      case "labels" -> d.labels = in.stringMap("labels");
      case "taints" ->
          d.taints =
              in.objectList("taints", p -> Fields.readTaint(p, in), new Taint(null, null, null));
      // An agent that cannot tell a host's storage leaves it out: not limited. Use left out is
      // none.
      case "allocatable" ->
          d.allocatable = Fields.readResources("allocatable", in, Fields.Absent.UNREPORTED);
      case "unmanagedUsed" ->
          d.unmanagedUsed = Fields.readResources("unmanagedUsed", in, Fields.Absent.ZERO);
      case "tenantUsed" ->
          d.tenantUsed = Fields.readResources("tenantUsed", in, Fields.Absent.ZERO);
      case "capabilities" -> d.capabilities = readCapabilities(in);
      case "nodes" -> d.nodes = readNodes(in);
      case "tenantsRunning" ->
          d.tenantsRunning = in.intValue("tenantsRunning", 0, (int) Resources.MAX.pods());
      case "agentVersion" -> d.agentVersion = in.string("agentVersion");
      case "reportedAt" -> d.reportedAt = in.instant("reportedAt");
      default -> in.skip();
    }
  }

  private static HostReport.Capabilities readCapabilities(JsonReader in) throws IOException {
    if (in.isNull()) {
      return null;
    }
    boolean[] gvisor = {false};
    Set<DatastoreMode> modes = EnumSet.noneOf(DatastoreMode.class);
    int[] headroom = {0};
    in.object(
        "capabilities",
        name -> {
          switch (name) {
            case "gvisor" -> gvisor[0] = Boolean.TRUE.equals(in.bool("capabilities.gvisor"));
            case "datastoreModes" -> {
              List<String> list = in.stringList("capabilities.datastoreModes");
              for (String s : list == null ? List.<String>of() : list) {
                DatastoreMode m = WireEnum.fromWire(DatastoreMode.class, s);
                if (m == null) {
                  in.problem(
                      "capabilities.datastoreModes",
                      "unknown datastore mode '"
                          + Names.clip(s)
                          + "': expected "
                          + WireEnum.spellings(DatastoreMode.class));
                } else {
                  modes.add(m);
                }
              }
            }
            case "sharedEtcdHeadroom" -> {
              Integer h =
                  in.intValue("capabilities.sharedEtcdHeadroom", 0, (int) Resources.MAX.pods());
              headroom[0] = h == null ? 0 : h;
            }
            default -> in.skip();
          }
        });
    return new HostReport.Capabilities(gvisor[0], modes, headroom[0]);
  }

  private static HostReport.NodeCounts readNodes(JsonReader in) throws IOException {
    if (in.isNull()) {
      return null;
    }
    Integer[] v = {null, null};
    in.object(
        "nodes",
        name -> {
          switch (name) {
            case "ready" -> v[0] = in.intValue("nodes.ready", 0, MAX_NODES);
            case "total" -> v[1] = in.intValue("nodes.total", 0, MAX_NODES);
            default -> in.skip();
          }
        });
    if (v[0] == null || v[1] == null) {
      if (!in.hasProblem("nodes")) {
        in.problem("nodes", "needs both ready and total");
      }
      return null;
    }
    if (v[0] > v[1]) {
      in.problem("nodes", "ready (" + v[0] + ") cannot exceed total (" + v[1] + ")");
      return null;
    }
    return new HostReport.NodeCounts(v[0], v[1]);
  }

  @Override
  protected HostReport finish(Draft d, JsonReader in) {
    if (Fields.required(in, "clusterId", d.clusterId, "the host cluster's id") != null) {
      String p = Names.problemWithLabelName("cluster id", d.clusterId);
      if (p != null) {
        in.problem("clusterId", p);
      }
    }
    if (Fields.required(in, "region", d.region, "") != null) {
      String p = Names.problemWithLabelName("region", d.region);
      if (p != null) {
        in.problem("region", p);
      }
    }
    for (String zone : d.zones == null ? List.<String>of() : d.zones) {
      String p = Names.problemWithLabelName("zone", zone);
      if (p != null) {
        in.problem("zones", p);
      }
    }
    if (d.labels != null) {
      for (Map.Entry<String, String> e : d.labels.entrySet()) {
        String pk = Names.problemWithLabelKey(e.getKey());
        String pv = Names.problemWithLabelValue(e.getValue());
        if (pk != null) {
          in.problem("labels", pk);
        }
        if (pv != null) {
          in.problem("labels." + e.getKey(), pv);
        }
      }
    }
    List<Taint> taints = d.taints == null ? List.of() : d.taints;
    for (int i = 0; i < taints.size(); i++) {
      Taint t = taints.get(i);
      if (t.key() != null) {
        String pk = Names.problemWithLabelKey(t.key());
        if (pk != null) {
          in.problem("taints[" + i + "].key", pk);
        }
      }
      if (t.effect() == null) {
        in.problem(
            "taints[" + i + "].effect", "is required: NoSchedule, PreferNoSchedule or NoExecute");
      } else if (Names.problemWithTaintEffect(t.effect()) != null) {
        in.problem("taints[" + i + "].effect", Names.problemWithTaintEffect(t.effect()));
      }
    }
    Fields.required(in, "allocatable", d.allocatable, "the capacity of ready, schedulable nodes");
    Resources unmanaged = d.unmanagedUsed == null ? Resources.ZERO : d.unmanagedUsed;
    Resources tenant = d.tenantUsed == null ? Resources.ZERO : d.tenantUsed;
    if (d.allocatable != null && !in.hasProblem("allocatable") && !in.hasProblem("unmanagedUsed")) {
      checkWithin(in, unmanaged, d.allocatable);
    }
    Fields.required(in, "reportedAt", d.reportedAt, "when the agent made the report (ISO-8601)");
    if (!in.problems().isEmpty()) {
      return null;
    }
    return new HostReport(
        d.clusterId,
        d.region,
        d.zones == null ? List.of() : d.zones.stream().sorted().distinct().toList(),
        d.labels,
        taints,
        d.allocatable,
        unmanaged,
        tenant,
        d.capabilities == null ? new HostReport.Capabilities(false, Set.of(), 0) : d.capabilities,
        d.nodes == null ? new HostReport.NodeCounts(0, 0) : d.nodes,
        d.tenantsRunning == null ? 0 : d.tenantsRunning,
        d.agentVersion,
        d.reportedAt);
  }

  /**
   * Pods that are not the fleet's use part of what the ready nodes offer: more than all of it is a
   * report that would turn the host's free capacity, and every total it is part of, negative. (The
   * agent counts both on the same nodes.)
   */
  private static void checkWithin(JsonReader in, Resources unmanaged, Resources allocatable) {
    for (Dimension dim : Dimension.values()) {
      if (allocatable.reported(dim) && unmanaged.get(dim) > allocatable.get(dim)) {
        in.problem(
            "unmanagedUsed." + dim.wire(),
            Numbers.readable(unmanaged.get(dim))
                + " is more than allocatable."
                + dim.wire()
                + " ("
                + Numbers.readable(allocatable.get(dim))
                + "): pods outside the fleet cannot use more than the ready nodes offer");
      }
    }
  }

  @Override
  protected void writeFields(HostReport r, JsonGenerator g) throws IOException {
    g.writeStringField("clusterId", r.clusterId());
    g.writeStringField("region", r.region());
    Fields.writeStringList(g, "zones", r.zones());
    Fields.writeStringMap(g, "labels", r.labels());
    List<String[]> taints = new ArrayList<>(r.taints().size());
    for (Taint t : r.taints()) {
      taints.add(new String[] {t.key(), t.value(), t.effect()});
    }
    Fields.writeKeyValueEffects(g, "taints", taints);
    Fields.writeResources(g, "allocatable", r.allocatable());
    Fields.writeResources(g, "unmanagedUsed", r.unmanagedUsed());
    Fields.writeResources(g, "tenantUsed", r.tenantUsed());
    HostReport.Capabilities c = r.capabilities();
    if (c != null) {
      g.writeObjectFieldStart("capabilities");
      g.writeBooleanField("gvisor", c.gvisor());
      List<String> modes = new ArrayList<>();
      for (DatastoreMode m : DatastoreMode.values()) {
        if (c.datastoreModes().contains(m)) {
          modes.add(m.wire());
        }
      }
      Fields.writeStringList(g, "datastoreModes", modes);
      g.writeNumberField("sharedEtcdHeadroom", c.sharedEtcdHeadroom());
      g.writeEndObject();
    }
    if (r.nodes() != null) {
      g.writeObjectFieldStart("nodes");
      g.writeNumberField("ready", r.nodes().ready());
      g.writeNumberField("total", r.nodes().total());
      g.writeEndObject();
    }
    g.writeNumberField("tenantsRunning", r.tenantsRunning());
    Fields.writeOptional(g, "agentVersion", r.agentVersion());
    Fields.writeOptional(g, "reportedAt", r.reportedAt());
  }
}
