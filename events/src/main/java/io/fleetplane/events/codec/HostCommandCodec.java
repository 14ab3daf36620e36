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
    if (Fields.required(in, "reason", d.reason, "why, for the record") != null) {
      String p = problemWithReason(d.reason);
      if (p != null) {
        in.problem("reason", p);
      }
    }
    if (!in.problems().isEmpty()) {
      return null;
    }
    return new HostCommand(d.clusterId, d.command, d.reason, d.at);
  }

  /** Longest reason: a sentence and a ticket number, not a document. */
  public static final int MAX_REASON = 1024;

  /**
   * A reason is for a person reading the dashboard and the records: some visible text, of at most
   * {@link #MAX_REASON} characters, with nothing that hides or reorders text.
   */
  static String problemWithReason(String reason) {
    if (reason.isBlank()) {
      return "is empty: say why, for the record (e.g. 'kernel upgrade, ticket OPS-1234')";
    }
    if (reason.length() > MAX_REASON) {
      return "is "
          + Numbers.readable(reason.length())
          + " characters; at most "
          + Numbers.readable(MAX_REASON);
    }
    if (Names.hasHiddenCharacters(reason)) {
      return "has control, bidi or invisible characters: '"
          + Names.clip(reason)
          + "'; write plain text";
    }
    return null;
  }

  @Override
  protected void writeFields(HostCommand c, JsonGenerator g) throws IOException {
    g.writeStringField("clusterId", c.clusterId());
    g.writeStringField("command", c.command().wire());
    g.writeStringField("reason", c.reason());
    Fields.writeOptional(g, "at", c.at());
  }
}
