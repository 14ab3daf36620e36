package io.fleetplane.events.codec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.fleetplane.events.Names;
import io.fleetplane.events.Problem;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parser's refusals in our words: what is wrong and where, with the real limit, and nothing of
 * the parser itself (no class, feature or method names, no "[Source: ...]"). Quoted input is
 * escaped and clipped like every other quote ({@link Names#clip}).
 */
final class ParseErrors {

  private ParseErrors() {}

  /**
   * Before parsing: a byte-order mark or UTF-16/32, which the parser would otherwise accept. (Bytes
   * that are not UTF-8 are found by the parser, or after it by {@link #strictUtf8}.)
   */
  static Decoded.Failure<Object> checkEncoding(byte[] b) {
    if (b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF) {
      return notUtf8("starts with a UTF-8 byte-order mark (EF BB BF): send UTF-8 without one");
    }
    if (b.length >= 2
        && (((b[0] & 0xff) == 0xFE && (b[1] & 0xff) == 0xFF)
            || ((b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xFE))) {
      return notUtf8("starts with a UTF-16 byte-order mark: values must be UTF-8");
    }
    for (int i = 0; i < Math.min(4, b.length); i++) {
      if (b[i] == 0) {
        return notUtf8(
            "has a NUL byte at offset "
                + i
                + ", as UTF-16 or UTF-32 text does: values must be UTF-8");
      }
    }
    return null;
  }

  /**
   * After parsing: the parser reads overlong forms and encoded surrogates as characters; the JDK's
   * decoder refuses them, as UTF-8 requires. Only values with a byte above ASCII pay for the check.
   */
  static Decoded.Failure<Object> strictUtf8(byte[] b) {
    int i = 0;
    while (i < b.length && b[i] >= 0) {
      i++;
    }
    if (i == b.length) {
      return null;
    }
    java.nio.charset.CharsetDecoder utf8 =
        java.nio.charset.StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(b);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(b.length);
    java.nio.charset.CoderResult r = utf8.decode(in, out, true);
    if (r.isError()) {
      int at = in.position();
      return notUtf8(
          String.format(
              Locale.ROOT,
              "is not valid UTF-8: byte 0x%02X at offset %d does not belong to a character",
              b[at] & 0xff,
              at));
    }
    return null;
  }

  private static Decoded.Failure<Object> notUtf8(String message) {
    return new Decoded.Failure<>(FailureKind.NOT_UTF8, List.of(new Problem("", message)));
  }

  private static final Pattern LIMIT =
      Pattern.compile(
          "^(String value|Number value|Name|Document nesting|Document) (?:length|depth)"
              + " \\((\\d+)\\) exceeds the maximum allowed \\((\\d+)");
  private static final Pattern DUPLICATE =
      Pattern.compile("^Duplicate (?:field|Object property) [\"'](.*)[\"']$", Pattern.DOTALL);
  private static final Pattern UNEXPECTED_CHAR =
      Pattern.compile(
          "^Unexpected character \\('.*?' \\(code (\\d+)(?: / 0x[0-9a-fA-F]+)?\\)\\)"
              + "( in numeric value)?: (.*)$",
          Pattern.DOTALL);
  private static final Pattern UNRECOGNIZED =
      Pattern.compile("^Unrecognized token '(.*)': was expecting", Pattern.DOTALL);
  private static final Pattern NON_STANDARD =
      Pattern.compile("^Non-standard token '(.*?)'", Pattern.DOTALL);
  private static final Pattern CONTROL =
      Pattern.compile("^Illegal unquoted character \\(\\(CTRL-CHAR, code (\\d+)\\)\\)");
  private static final Pattern CLOSE =
      Pattern.compile("^Unexpected close marker '(.)': expected '(.)'");
  private static final Pattern ESCAPE =
      Pattern.compile("^Unrecognized character escape '.*?' \\(code (\\d+)\\)", Pattern.DOTALL);
  private static final Pattern UTF8 =
      Pattern.compile("^Invalid UTF-8 (start|middle) byte (0x\\w\\w)");
  private static final Pattern NUMBER = Pattern.compile("^Invalid numeric value: (.*)$");

  /** The failure for a parser's exception. */
  static Decoded.Failure<Object> failure(JsonProcessingException e) {
    String raw = String.valueOf(e.getOriginalMessage());
    String at = where(e.getLocation());
    if (e instanceof StreamConstraintsException) {
      return malformed("", overLimit(raw));
    }
    Matcher m;
    if ((m = DUPLICATE.matcher(raw)).matches()) {
      return malformed(
          Names.clip(m.group(1)),
          "appears more than once" + at + ": a field may appear only once in an object");
    }
    if ((m = UTF8.matcher(raw)).find()) {
      return notUtf8(
          "is not valid UTF-8"
              + at
              + ": byte "
              + m.group(2)
              + " cannot "
              + (m.group(1).equals("start") ? "start" : "continue")
              + " a character");
    }
    String text;
    if (raw.startsWith("Unexpected end-of-input")) {
      text = "the value ends before its JSON is complete";
    } else if ((m = UNEXPECTED_CHAR.matcher(raw)).matches()) {
      text =
          "unexpected character "
              + character(Integer.parseInt(m.group(1)))
              + (m.group(2) != null ? " in a number" : "")
              + expectation(m.group(3));
    } else if ((m = UNRECOGNIZED.matcher(raw)).find()) {
      text =
          "'"
              + Names.clip(m.group(1))
              + "' is not JSON: expected a string, number, array, object, true, false or null";
    } else if ((m = NON_STANDARD.matcher(raw)).find()) {
      text = "'" + Names.clip(m.group(1)) + "' is not a JSON number";
    } else if ((m = CONTROL.matcher(raw)).find()) {
      text =
          "a control character "
              + character(Integer.parseInt(m.group(1)))
              + " inside a string: write it as an escape (\\n, \\t, \\u0000)";
    } else if ((m = CLOSE.matcher(raw)).find()) {
      text = "'" + m.group(1) + "' closes what needs '" + m.group(2) + "'";
    } else if ((m = ESCAPE.matcher(raw)).find()) {
      text =
          "unknown escape \\"
              + Names.clip(Character.toString(Integer.parseInt(m.group(1))))
              + " in a string";
    } else if ((m = NUMBER.matcher(raw)).find()) {
      text = "invalid number: " + lowerFirst(scrub(m.group(1)));
    } else {
      text = lowerFirst(scrub(raw));
    }
    return malformed("", text + at);
  }

  static Decoded.Failure<Object> malformed(String field, String message) {
    return new Decoded.Failure<>(FailureKind.MALFORMED_JSON, List.of(new Problem(field, message)));
  }

  private static String overLimit(String raw) {
    Matcher m = LIMIT.matcher(raw);
    if (!m.find()) {
      return "over a limit of the parser";
    }
    String max = Numbers.readable(Long.parseLong(m.group(3)));
    return switch (m.group(1)) {
      case "String value" -> "a string is longer than " + max + " characters";
      case "Number value" -> "a number has more than " + max + " digits";
      case "Name" -> "a field name is longer than " + max + " characters";
      case "Document nesting" -> "objects and arrays are nested more than " + max + " deep";
      default -> "the value is longer than " + max + " bytes";
    };
  }

  /** The parser's "was expecting X" in our words, without its hints about parser features. */
  private static String expectation(String raw) {
    if (raw.startsWith("maybe a (non-standard) comment")) {
      return ": comments are not JSON";
    }
    String s = scrub(raw);
    if (s.startsWith("was expecting ")) {
      s = "expected " + s.substring("was expecting ".length());
    }
    return s.isEmpty() ? "" : ": " + s;
  }

  /** A character as a person can see it: 'x' (U+0078), or only U+202E for invisible ones. */
  private static String character(int cp) {
    String shown = Names.escape(Character.toString(cp));
    String code = String.format(Locale.ROOT, "U+%04X", cp);
    return shown.startsWith("\\u") ? code : "'" + shown + "' (" + code + ")";
  }

  /**
   * Cuts the parser's own vocabulary out of a message: "[Source: ...]" locations, "(for ...)" and
   * "(start marker at ...)" notes, anything in backquotes ("enable `JsonReadFeature.X`"), and
   * sentences naming parser features; then escapes and clips what is left.
   */
  static String scrub(String raw) {
    String s = raw;
    for (String cut :
        new String[] {
          " (for ", " (start marker", "[Source", " (not recognized", "; enable", ": enable"
        }) {
      int i = s.indexOf(cut);
      if (i >= 0) {
        s = s.substring(0, i);
      }
    }
    s = s.replaceAll("`[^`]*`", "").replaceAll("\\s+", " ").trim();
    s = Names.escape(s);
    return s.length() <= 160 ? s : s.substring(0, 157) + "...";
  }

  private static String lowerFirst(String s) {
    return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  private static String where(JsonLocation at) {
    if (at == null || at.getLineNr() < 1) {
      return "";
    }
    return " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }
}
