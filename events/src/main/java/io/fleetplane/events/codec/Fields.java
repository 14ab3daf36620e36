package io.fleetplane.events.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import io.fleetplane.events.Datastore;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Dimension;
import io.fleetplane.events.Problem;
import io.fleetplane.events.Resources;
import io.fleetplane.events.Taint;
import io.fleetplane.events.Toleration;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Readers and writers of the small values several events share. */
final class Fields {

  private Fields() {}

  /** What a dimension left out of an amount means. */
  enum Absent {
    /** Nothing: 0 (use, demand). */
    ZERO,
    /** Not known: {@link Resources#UNREPORTED} (a host's allocatable). */
    UNREPORTED
  }

  /**
   * Reads an amount: each {@link Dimension} under its wire name, a whole number from 0 to its
   * {@link Dimension#max()} (beyond that a value is wrong, not large). A required one missing, or
   * any one bad, is a problem and reads as 0, so that the caller can still check the other parts
   * (the value is never used while a problem stands); an optional one missing reads as {@code
   * absent} says.
   */
  static Resources readResources(String path, JsonReader in, Absent absent) throws IOException {
    if (in.isNull()) {
      return null;
    }
    long[] v = new long[Dimension.COUNT];
    java.util.Arrays.fill(v, -2);
    in.object(
        path,
        name -> {
          Dimension d = BY_WIRE.get(name);
          if (d == null) {
            in.skip();
          } else {
            v[d.ordinal()] = orMinus2(in.wholeNumber(path + "." + name, 0, d.max()));
          }
        });
    for (Dimension d : Dimension.values()) {
      if (v[d.ordinal()] != -2) {
        continue;
      }
      String field = path + "." + d.wire();
      if (in.hasProblem(field)) {
        v[d.ordinal()] = 0; // go on, so that the other amounts are still checked
      } else if (d.required()) {
        in.problem(field, "is required (a whole number, 0 or more)");
        v[d.ordinal()] = 0;
      } else {
        v[d.ordinal()] = absent == Absent.UNREPORTED ? Resources.UNREPORTED : 0;
      }
    }
    return Resources.of(v);
  }

  private static final java.util.Map<String, Dimension> BY_WIRE = byWire();

  private static java.util.Map<String, Dimension> byWire() {
    java.util.Map<String, Dimension> m = new java.util.HashMap<>();
    for (Dimension d : Dimension.values()) {
      m.put(d.wire(), d);
    }
    return java.util.Map.copyOf(m);
  }

  private static long orMinus2(Long v) {
    return v == null ? -2 : v;
  }

  static void writeResources(JsonGenerator g, String field, Resources r) throws IOException {
    if (r == null) {
      return;
    }
    g.writeObjectFieldStart(field);
    for (Dimension d : Dimension.values()) {
      if (r.reported(d)) { // an unreported one is left out, as the agent that did not know did
        g.writeNumberField(d.wire(), r.get(d));
      }
    }
    g.writeEndObject();
  }

  /** Reads a datastore; a missing mode is a problem, the rest is for the validator. */
  static Datastore readDatastore(String path, JsonReader in) throws IOException {
    if (in.isNull()) {
      return null;
    }
    DatastoreMode[] mode = {null};
    String[] ref = {null, null};
    in.object(
        path,
        name -> {
          switch (name) {
            case "mode" -> mode[0] = in.wireEnum(path + ".mode", DatastoreMode.class);
            case "databaseRef" -> ref[0] = in.string(path + ".databaseRef");
            case "credentialsSecret" -> ref[1] = in.string(path + ".credentialsSecret");
            default -> in.skip();
          }
        });
    if (mode[0] == null) {
      if (!in.hasProblem(path + ".mode") && !in.hasProblem(path)) {
        in.problem(path + ".mode", "is required: dedicated-etcd, shared-etcd or kine");
      }
      return null;
    }
    return new Datastore(mode[0], ref[0], ref[1]);
  }

  static void writeDatastore(JsonGenerator g, Datastore d) throws IOException {
    if (d == null) {
      return;
    }
    g.writeObjectFieldStart("datastore");
    g.writeStringField("mode", d.mode().wire());
    writeOptional(g, "databaseRef", d.databaseRef());
    writeOptional(g, "credentialsSecret", d.credentialsSecret());
    g.writeEndObject();
  }

  /** A toleration; one without a key is a problem but keeps its place in the list. */
  static Toleration readToleration(String path, JsonReader in) throws IOException {
    String[] f = new String[3];
    readKeyValueEffect(path, in, f);
    required(in, path + ".key", f[0], "");
    return new Toleration(f[0], f[1], f[2]);
  }

  /** A taint; one without a key is a problem but keeps its place in the list. */
  static Taint readTaint(String path, JsonReader in) throws IOException {
    String[] f = new String[3];
    readKeyValueEffect(path, in, f);
    required(in, path + ".key", f[0], "");
    return new Taint(f[0], f[1], f[2]);
  }

  private static void readKeyValueEffect(String path, JsonReader in, String[] f)
      throws IOException {
    in.object(
        path,
        name -> {
          switch (name) {
            case "key" -> f[0] = in.string(path + ".key");
            case "value" -> f[1] = in.string(path + ".value");
            case "effect" -> f[2] = in.string(path + ".effect");
            default -> in.skip();
          }
        });
  }

  static void writeKeyValueEffects(JsonGenerator g, String field, List<String[]> entries)
      throws IOException {
    if (entries.isEmpty()) {
      return;
    }
    g.writeArrayFieldStart(field);
    for (String[] e : entries) {
      g.writeStartObject();
      g.writeStringField("key", e[0]);
      writeOptional(g, "value", e[1]);
      writeOptional(g, "effect", e[2]);
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  static Problem readProblem(String path, JsonReader in) throws IOException {
    String[] f = {"", null};
    in.object(
        path,
        name -> {
          switch (name) {
            case "field" -> f[0] = in.string(path + ".field");
            case "message" -> f[1] = in.string(path + ".message");
            default -> in.skip();
          }
        });
    if (f[1] == null) {
      in.problem(path + ".message", "is required");
      return null;
    }
    return new Problem(f[0] == null ? "" : f[0], f[1]);
  }

  static void writeProblems(JsonGenerator g, List<Problem> problems) throws IOException {
    if (problems.isEmpty()) {
      return;
    }
    g.writeArrayFieldStart("problems");
    for (Problem p : problems) {
      g.writeStartObject();
      g.writeStringField("field", p.field());
      g.writeStringField("message", p.message());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  static void writeStringMap(JsonGenerator g, String field, Map<String, String> map)
      throws IOException {
    if (map.isEmpty()) {
      return;
    }
    g.writeObjectFieldStart(field);
    for (Map.Entry<String, String> e : map.entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  static void writeStringList(JsonGenerator g, String field, Iterable<String> list)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (String s : list) {
      g.writeString(s);
    }
    g.writeEndArray();
  }

  static void writeOptional(JsonGenerator g, String field, String value) throws IOException {
    if (value != null) {
      g.writeStringField(field, value);
    }
  }

  static void writeOptional(JsonGenerator g, String field, Integer value) throws IOException {
    if (value != null) {
      g.writeNumberField(field, value);
    }
  }

  static void writeOptional(JsonGenerator g, String field, Instant value) throws IOException {
    if (value != null) {
      g.writeStringField(field, value.toString());
    }
  }

  /** Adds "is required" for a missing value, unless the field already has a problem. */
  static <T> T required(JsonReader in, String field, T value, String hint) {
    if (value == null && !in.hasProblem(field)) {
      in.problem(field, "is required" + (hint.isEmpty() ? "" : ": " + hint));
    }
    return value;
  }
}
