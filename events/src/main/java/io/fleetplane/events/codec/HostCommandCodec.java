package io.fleetplane.events.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import io.fleetplane.events.HostCommand;
import io.fleetplane.events.Limits;
import io.fleetplane.events.Names;
import java.io.IOException;
import java.time.Instant;

/** {@link HostCommand} as JSON. */
public final class HostCommandCodec extends EventCodec<HostCommand, HostCommandCodec.Draft> {

  public HostCommandCodec() {
    super("host command", Limits.HOST_COMMAND_BYTES);
  }

  static final class Draft {
    String clusterId;
    HostCommand.Command command;
    String reason;
    Instant at;
  }

  @Override
  protected Draft newDraft() {
    return new Draft();
  }

  @Override
  protected void readField(String name, JsonReader in, Draft d) throws IOException {
    switch (name) {
      case "clusterId" -> d.clusterId = in.string("clusterId");
      case "command" -> d.command = in.wireEnum("command", HostCommand.Command.class);
      case "reason" -> d.reason = in.string("reason");
      case "at" -> d.at = in.instant("at");
      default -> in.skip();
    }
  }

  @Override
  protected HostCommand finish(Draft d, JsonReader in) {
    if (Fields.required(in, "clusterId", d.clusterId, "") != null) {
      String p = Names.problemWithLabelName("cluster id", d.clusterId);
      if (p != null) {
        in.problem("clusterId", p);
      }
    }
    Fields.required(in, "command", d.command, "CORDON or UNCORDON");
    Fields.required(in, "reason", d.reason, "why, for the record");
    if (!in.problems().isEmpty()) {
      return null;
    }
    return new HostCommand(d.clusterId, d.command, d.reason, d.at);
  }

  @Override
  protected void writeFields(HostCommand c, JsonGenerator g) throws IOException {
    g.writeStringField("clusterId", c.clusterId());
    g.writeStringField("command", c.command().wire());
    g.writeStringField("reason", c.reason());
    Fields.writeOptional(g, "at", c.at());
  }
}
