package io.fleetplane.events.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import io.fleetplane.events.Names;
import io.fleetplane.events.Problem;
import io.fleetplane.events.WireEnum;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one value at a time from a streaming parser and, instead of stopping at the first wrong
 * field, records a {@link Problem} and skips it, so a decoder can report every problem of a value
 * at once. Each reading method expects the parser to stand on the field's value token; JSON {@code
 * null} reads as absent.
 */
public final class JsonReader {

  /** Consumes the value of one field of an object; the parser stands on that value. */
  @FunctionalInterface
  public interface FieldHandler {
    void field(String name) throws IOException;
  }

  /** Reads one object element of an array; the parser stands on its START_OBJECT. */
  @FunctionalInterface
  public interface ElementReader<T> {
    T read(String path) throws IOException;
  }

  private final JsonParser p;
  private final int maxStringChars;
  private final List<Problem> problems = new ArrayList<>(2);
  private Set<String> fieldsWithProblems;

  JsonReader(JsonParser p, int maxStringChars) {
    this.p = p;
    this.maxStringChars = maxStringChars;
  }

  public void problem(String field, String message) {
    problems.add(new Problem(field, message));
    if (fieldsWithProblems == null) {
      fieldsWithProblems = new HashSet<>();
    }
    fieldsWithProblems.add(field);
  }

  /**
   * True if {@code field}, or a part of it ({@code field.x}, {@code field[i]}), already has a
   * problem: don't also report it as missing.
   */
  public boolean hasProblem(String field) {
    if (fieldsWithProblems == null) {
      return false;
    }
    if (fieldsWithProblems.contains(field)) {
      return true;
    }
    for (String f : fieldsWithProblems) {
      if (f.length() > field.length()
          && f.startsWith(field)
          && (f.charAt(field.length()) == '.' || f.charAt(field.length()) == '[')) {
        return true;
      }
    }
    return false;
  }

  public List<Problem> problems() {
    return problems;
  }

  /** True if the parser stands on a JSON null: the field is absent. */
  public boolean isNull() {
    return p.currentToken() == JsonToken.VALUE_NULL;
  }

  /**
   * True if {@code field} or what contains it has a problem ({@code tolerations[0]} for {@code
   * tolerations[0].key}): a rule about the part would only repeat it.
   */
  public boolean hasProblemAtOrAbove(String field) {
    for (String f = field; !f.isEmpty(); ) {
      if (hasProblemExactly(f)) {
        return true;
      }
      int cut = Math.max(f.lastIndexOf('.'), f.lastIndexOf('['));
      f = cut < 0 ? "" : f.substring(0, cut);
    }
    return false;
  }

  /** True if exactly {@code field} has a problem (not one of its parts). */
  public boolean hasProblemExactly(String field) {
    return fieldsWithProblems != null && fieldsWithProblems.contains(field);
  }

  /**
   * Calls {@code handler} for each field of the object the parser stands on; a JSON null is an
   * absent object, not a problem.
   */
  public void object(String path, FieldHandler handler) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return;
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      wrongType(path, "an object");
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      handler.field(name);
    }
  }

  /**
   * Skips the current value, whatever it is (unknown fields are ignored, for compatibility), but
   * still holds each of its strings to the limit that known fields have: an unknown field is no way
   * around it. (Field names are held to theirs, and repeated names refused, by the parser.)
   */
  public void skip() throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING) {
      checkLength();
      return;
    }
    if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
      return;
    }
    int depth = 1;
    while (depth > 0) {
      JsonToken next = p.nextToken();
      if (next == null) {
        return; // the parser reports the truncation on the next read
      }
      switch (next) {
        case START_OBJECT, START_ARRAY -> depth++;
        case END_OBJECT, END_ARRAY -> depth--;
        case VALUE_STRING -> checkLength();
        default -> {}
      }
    }
  }

  /** The dotted path of the value the parser stands on ({@code datastore.notes}, {@code a[2]}). */
  private String pathHere() {
    List<String> parts = new ArrayList<>(4);
    for (JsonStreamContext c = p.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        if (c.getCurrentIndex() >= 0) { // -1: standing on the array's own START_ARRAY
          parts.add("[" + c.getCurrentIndex() + "]");
        }
      } else if (c.getCurrentName() != null) {
        parts.add(Names.clip(c.getCurrentName()));
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = parts.size() - 1; i >= 0; i--) {
      String part = parts.get(i);
      if (sb.length() > 0 && !part.startsWith("[")) {
        sb.append('.');
      }
      sb.append(part);
    }
    return sb.toString();
  }

  private void checkLength() throws IOException {
    int n = textLength(null);
    if (n > maxStringChars) {
      problem(pathHere(), tooLong(n));
    }
  }

  /**
   * The length of the string the parser stands on. The parser refuses one beyond its limit as it
   * reads it, without saying where: that becomes a problem of {@code field} (or of the path here),
   * and the reading stops ({@link Abort}), as the rest cannot be read after it.
   */
  private int textLength(String field) throws IOException {
    try {
      return p.getTextLength();
    } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
      problem(
          field == null ? pathHere() : field,
          "holds a string longer than "
              + Numbers.readable(maxStringChars)
              + " characters; strings may be at most that long");
      throw new Abort();
    }
  }

  /** Stops reading a value whose problems so far are all there is to say. */
  static final class Abort extends IOException {
    Abort() {
      super(null, null);
    }
  }

  private String tooLong(int n) {
    return "holds a string of "
        + Numbers.readable(n)
        + " characters; strings may be at most "
        + Numbers.readable(maxStringChars);
  }

  public String string(String field) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING) {
      int n = textLength(field);
      if (n > maxStringChars) {
        problem(field, tooLong(n));
        return null;
      }
      return p.getText();
    }
    if (t != JsonToken.VALUE_NULL) {
      wrongType(field, "a string");
    }
    return null;
  }

  public Boolean bool(String field) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
      return t == JsonToken.VALUE_TRUE;
    }
    if (t != JsonToken.VALUE_NULL) {
      wrongType(field, "true or false");
    }
    return null;
  }

  /** A whole number in [min, max], or null (with a problem if it was present but wrong). */
  public Long wholeNumber(String field, long min, long max) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT) {
      if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        problem(field, Numbers.outOfRange(min, max, p.getText()));
        return null;
      }
      long v = p.getLongValue();
      if (v < min || v > max) {
        problem(field, Numbers.outOfRange(min, max, Numbers.readable(v)));
        return null;
      }
      return v;
    }
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      problem(field, "must be a whole number, got " + Names.clip(p.getText()));
    } else if (t != JsonToken.VALUE_NULL) {
      wrongType(field, "a whole number");
    }
    return null;
  }

  public Integer intValue(String field, int min, int max) throws IOException {
    Long v = wholeNumber(field, min, max);
    return v == null ? null : v.intValue();
  }

  public Instant instant(String field) throws IOException {
    String s = string(field);
    if (s == null) {
      return null;
    }
    try {
      return Instants.parse(s);
    } catch (DateTimeParseException e) {
      problem(field, Instants.EXPECTED + ", got '" + Names.clip(s) + "'");
      return null;
    }
  }

  /** One of an enum's wire spellings; anything else is a problem naming the accepted ones. */
  public <E extends Enum<E> & WireEnum> E wireEnum(String field, Class<E> type) throws IOException {
    String s = string(field);
    if (s == null) {
      return null;
    }
    E e = WireEnum.fromWire(type, s);
    if (e == null) {
      problem(field, "unknown value '" + Names.clip(s) + "': expected " + WireEnum.spellings(type));
    }
    return e;
  }

  /** An object whose values are all strings. */
  public Map<String, String> stringMap(String field) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    Map<String, String> map = new LinkedHashMap<>();
    object(
        field,
        name -> {
          String path = field + "." + Names.clip(name);
          if (isNull()) {
            problem(path, "must be a string, got null: leave the entry out instead");
            return;
          }
          String v = string(path);
          if (v != null) {
            map.put(name, v);
          }
        });
    return map;
  }

  /** An array of strings; a null element is a problem (absent is only ever a whole field). */
  public List<String> stringList(String field) throws IOException {
    return list(
        field,
        path -> {
          if (isNull()) {
            problem(path, "must be a string, got null");
            return null;
          }
          return string(path);
        },
        false,
        null);
  }

  /**
   * An array of objects, each read by {@code element}. An element that is not an object is a
   * problem and stands in the list as {@code placeholder}, so that later problems keep their index
   * (the placeholder never leaves a failed decode).
   */
  public <T> List<T> objectList(String field, ElementReader<T> element, T placeholder)
      throws IOException {
    return list(field, element, true, placeholder);
  }

  private <T> List<T> list(String field, ElementReader<T> element, boolean objects, T placeholder)
      throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_ARRAY) {
      wrongType(field, objects ? "an array of objects" : "an array of strings");
      return null;
    }
    List<T> list = new ArrayList<>();
    int i = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      String path = field + "[" + i++ + "]";
      if (objects && p.currentToken() != JsonToken.START_OBJECT) {
        wrongType(path, "an object");
        list.add(placeholder);
        continue;
      }
      T v = element.read(path);
      if (v != null) {
        list.add(v);
      }
    }
    return list;
  }

  private void wrongType(String field, String expected) throws IOException {
    problem(field, "must be " + expected + ", got " + describe(p.currentToken()));
    p.skipChildren();
  }

  private String describe(JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "the string '" + Names.clip(p.getText()) + "'";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "the number " + Names.clip(p.getText());
      case VALUE_TRUE:
      case VALUE_FALSE:
        return t == JsonToken.VALUE_TRUE ? "true" : "false";
      case VALUE_NULL:
        return "null";
      default:
        return t.asString() == null ? t.name() : t.asString();
    }
  }
}
