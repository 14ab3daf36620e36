package io.fleetplane.events.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.fleetplane.events.Limits;
import io.fleetplane.events.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Versioned JSON for one event type: {@code {"v":1, ...fields}}. Decoding checks the size before
 * parsing, reads every field, and returns a {@link Decoded} that is either the event or every
 * problem found; it never throws on bad bytes. Unknown fields are ignored, so a producer may add
 * optional fields without a new version.
 *
 * <p>Subclasses read fields into a mutable draft ({@link #readField}) and turn the draft into the
 * event, checking it ({@link #finish}).
 *
 * @param <T> the event
 * @param <D> the mutable draft fields are read into
 */
public abstract class EventCodec<T, D> {

  /** The schema version this code reads and writes. */
  public static final int VERSION = 1;

  private final String typeName;
  private final int maxBytes;
  private final int maxStringChars;
  private final JsonFactory json;

  /**
   * The size of the last value encoded, to size the next one's buffer: no growth for values like
   * it, no kilobyte for a 200-byte event. Racy on purpose: any value is a fine guess.
   */
  private int lastEncodedSize = 256;

  protected EventCodec(String typeName, int maxBytes) {
    this(typeName, maxBytes, Limits.MAX_STRING_CHARS);
  }

  protected EventCodec(String typeName, int maxBytes, int maxStringChars) {
    this.typeName = typeName;
    this.maxBytes = maxBytes;
    this.maxStringChars = maxStringChars;
    this.json = Json.factory(maxBytes, maxStringChars);
  }

  public String typeName() {
    return typeName;
  }

  public int maxBytes() {
    return maxBytes;
  }

  protected abstract D newDraft();

  /** Reads the value of field {@code name} into the draft, or skips it if unknown. */
  protected abstract void readField(String name, JsonReader in, D draft) throws IOException;

  /**
   * Checks the draft, adding problems to {@code in}; returns the event, or null if there were
   * problems.
   */
  protected abstract T finish(D draft, JsonReader in);

  /** Writes the event's fields (the version is written already). */
  protected abstract void writeFields(T event, JsonGenerator out) throws IOException;

  /**
   * The ids a value names, from a draft that failed (possibly half read): only those that are valid
   * themselves, for addressing the refusal. None by default.
   */
  protected Map<String, String> identity(D draft) {
    return Map.of();
  }

  public final Decoded<T> decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return Decoded.failure(
          FailureKind.EMPTY, "", "no value: a " + typeName + " is a JSON object");
    }
    if (bytes.length > maxBytes) {
      return Decoded.failure(
          FailureKind.TOO_LARGE,
          "",
          "the value is "
              + Numbers.readable(bytes.length)
              + " bytes; a "
              + typeName
              + " may be at most "
              + Numbers.readable(maxBytes)
              + " bytes");
    }
    Decoded.Failure<Object> encoding = ParseErrors.checkEncoding(bytes);
    if (encoding != null) {
      return encoding.cast();
    }
    D draft = newDraft();
    JsonReader[] reader = {null};
    try (JsonParser p = json.createParser(bytes)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        return Decoded.failure(
            FailureKind.NOT_AN_OBJECT,
            "",
            "a " + typeName + " must be a JSON object, got " + describeStart(first));
      }
      JsonReader in = new JsonReader(p, maxStringChars);
      reader[0] = in;
      Long[] version = {null};
      in.object(
          "",
          name -> {
            if ("v".equals(name)) {
              version[0] = in.wholeNumber("v", Long.MIN_VALUE, Long.MAX_VALUE);
            } else {
              readField(name, in, draft);
            }
          });
      if (p.nextToken() != null) {
        return withIdentity(
            ParseErrors.malformed(
                "", "unexpected content after the end of the JSON object" + where(p)),
            draft,
            null);
      }
      if (version[0] == null) {
        if (!in.hasProblem("v")) {
          in.problem("v", "is required: the schema version, " + VERSION + " for this decoder");
        }
      } else if (version[0] != VERSION) {
        return withIdentity(
            new Decoded.Failure<>(
                FailureKind.UNSUPPORTED_VERSION,
                List.of(
                    new Problem(
                        "v",
                        "schema version "
                            + Numbers.readable(version[0])
                            + " is not supported; this decoder reads version "
                            + VERSION))),
            draft,
            null);
      }
      Decoded.Failure<Object> notUtf8 = ParseErrors.strictUtf8(bytes);
      if (notUtf8 != null) {
        return withIdentity(notUtf8, draft, null);
      }
      T event = finish(draft, in);
      if (!in.problems().isEmpty() || event == null) {
        return withIdentity(new Decoded.Failure<>(FailureKind.INVALID, in.problems()), draft, null);
      }
      return Decoded.ok(event);
    } catch (JsonReader.Abort e) {
      return withIdentity(
          new Decoded.Failure<>(FailureKind.INVALID, reader[0].problems()), draft, null);
    } catch (JsonProcessingException e) {
      Decoded.Failure<Object> f = ParseErrors.failure(e);
      // A field that appeared twice names no id: which of the two would be a guess.
      String twice = f.problems().get(0).field();
      return withIdentity(f, draft, twice.isEmpty() ? null : twice);
    } catch (IOException e) {
      // Reading a byte array does no I/O; a parser reports bad input as JsonProcessingException.
      return Decoded.failure(FailureKind.MALFORMED_JSON, "", ParseErrors.scrub(e.getMessage()));
    }
  }

  private <U> Decoded.Failure<T> withIdentity(Decoded.Failure<U> f, D draft, String except) {
    Map<String, String> ids = identity(draft);
    if (except != null && ids.containsKey(except)) {
      ids = new java.util.HashMap<>(ids);
      ids.remove(except);
    }
    return f.<T>cast().withIdentity(ids);
  }

  private static String where(JsonParser p) {
    JsonLocation at = p.currentLocation();
    return at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }

  /**
   * The last value encoded, and its bytes: the scheduler keeps each decision in a tenant record and
   * sends it too, so the same event is encoded twice in a row. Compared by identity; racy on
   * purpose, as a miss only costs an encoding.
   */
  private volatile Encoded<T> last;

  private record Encoded<T>(T value, byte[] bytes) {}

  /**
   * The value's JSON. Encoding the very object that was encoded last returns a copy of the same
   * bytes without encoding it again.
   */
  public final byte[] encode(T event) {
    Encoded<T> memo = last;
    if (memo != null && memo.value() == event) {
      return memo.bytes().clone();
    }
    byte[] out = encodeNow(event);
    last = new Encoded<>(event, out.clone());
    return out;
  }

  private byte[] encodeNow(T event) {
    try (ByteArrayBuilder buf = new ByteArrayBuilder(lastEncodedSize + 64);
        JsonGenerator g = json.createGenerator(buf)) {
      g.writeStartObject();
      g.writeNumberField("v", VERSION);
      writeFields(event, g);
      g.writeEndObject();
      g.flush();
      byte[] out = buf.toByteArray();
      lastEncodedSize = out.length;
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + typeName, e);
    }
  }

  private static String describeStart(JsonToken t) {
    if (t == null) {
      return "nothing";
    }
    switch (t) {
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return t.name();
    }
  }

  // ---- Kafka adapters -------------------------------------------------------------------

  /** Writes events; a null event (a tombstone) is written as a null value. */
  public final Serializer<T> serializer() {
    return (topic, event) -> event == null ? null : encode(event);
  }

  /**
   * Reads values as {@link Decoded}, never throwing; a null value (a tombstone) is read as null.
   * Use this on every topic that others write to.
   */
  public final Deserializer<Decoded<T>> deserializer() {
    return (topic, bytes) -> bytes == null ? null : decode(bytes);
  }

  /** Serde of {@link Decoded} values, for Kafka Streams sources fed by others. */
  public final Serde<Decoded<T>> decodedSerde() {
    Serializer<Decoded<T>> ser =
        (topic, decoded) -> {
          if (decoded == null) {
            return null;
          }
          if (decoded instanceof Decoded.Ok<T> ok) {
            return encode(ok.value());
          }
          throw new DecodeException((Decoded.Failure<?>) decoded);
        };
    return Serdes.serdeFrom(ser, deserializer());
  }

  /**
   * Serde of plain events, for topics and stores only our own code writes: its deserializer throws
   * {@link DecodeException} on a value that is not a valid event.
   */
  public final Serde<T> serde() {
    Deserializer<T> de = (topic, bytes) -> bytes == null ? null : decode(bytes).orElseThrow();
    return Serdes.serdeFrom(serializer(), de);
  }
}
