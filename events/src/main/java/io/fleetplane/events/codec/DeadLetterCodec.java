package io.fleetplane.events.codec;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonGenerator;
import io.fleetplane.events.DeadLetter;
import io.fleetplane.events.Limits;
import io.fleetplane.events.Problem;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** {@link DeadLetter} as JSON; the original key and value are base64. */
public final class DeadLetterCodec extends EventCodec<DeadLetter, DeadLetterCodec.Draft> {

  public DeadLetterCodec() {
    // The kept value (64 KiB) is ~88 K characters of base64.
    super("dead letter", Limits.DEAD_LETTER_BYTES, 96 * 1024);
  }

  static final class Draft {
    String sourceTopic;
    Integer partition;
    Long offset;
    byte[] key;
    byte[] value;
    Integer originalSize;
    String reason;
    List<Problem> problems;
    Instant at;
  }

  @Override
  protected Draft newDraft() {
    return new Draft();
  }

  @Override
  protected void readField(String name, JsonReader in, Draft d) throws IOException {
    switch (name) {
      case "sourceTopic" -> d.sourceTopic = in.string("sourceTopic");
      case "partition" -> d.partition = in.intValue("partition", 0, Integer.MAX_VALUE);
      case "offset" -> d.offset = in.wholeNumber("offset", -1, Long.MAX_VALUE);
      case "key" -> d.key = base64(in, "key");
      case "value" -> d.value = base64(in, "value");
      case "originalSize" -> d.originalSize = in.intValue("originalSize", 0, Integer.MAX_VALUE);
      case "reason" -> d.reason = in.string("reason");
      case "problems" ->
          d.problems =
              in.objectList("problems", p -> Fields.readProblem(p, in), new Problem("", ""));
      case "at" -> d.at = in.instant("at");
      default -> in.skip();
    }
  }

  private static byte[] base64(JsonReader in, String field) throws IOException {
    String s = in.string(field);
    if (s == null) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      in.problem(field, "must be base64");
      return null;
    }
  }

  @Override
  protected DeadLetter finish(Draft d, JsonReader in) {
    Fields.required(in, "sourceTopic", d.sourceTopic, "");
    Fields.required(in, "partition", d.partition, "");
    Fields.required(in, "offset", d.offset, "");
    Fields.required(in, "reason", d.reason, "");
    Fields.required(in, "at", d.at, "");
    if (!in.problems().isEmpty()) {
      return null;
    }
    int size = d.originalSize != null ? d.originalSize : d.value == null ? 0 : d.value.length;
    return new DeadLetter(
        d.sourceTopic, d.partition, d.offset, d.key, d.value, size, d.reason, d.problems, d.at);
  }

  @Override
  protected void writeFields(DeadLetter l, JsonGenerator g) throws IOException {
    g.writeStringField("sourceTopic", l.sourceTopic());
    g.writeNumberField("partition", l.partition());
    g.writeNumberField("offset", l.offset());
    if (l.key() != null) {
      g.writeFieldName("key");
      g.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, l.key(), 0, l.key().length);
    }
    if (l.value() != null) {
      g.writeFieldName("value");
      g.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, l.value(), 0, l.value().length);
    }
    g.writeNumberField("originalSize", l.originalSize());
    g.writeStringField("reason", l.reason());
    Fields.writeProblems(g, l.problems());
    g.writeStringField("at", l.at().toString());
  }
}
