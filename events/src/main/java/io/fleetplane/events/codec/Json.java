package io.fleetplane.events.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import io.fleetplane.events.Limits;

/** Jackson factories with the limits that keep a decoder's memory bounded. */
final class Json {

  private Json() {}

  static JsonFactory factory(int maxBytes, int maxStringChars) {
    return JsonFactory.builder()
        .streamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(Limits.MAX_NESTING_DEPTH)
                .maxStringLength(maxStringChars)
                .maxNameLength(Limits.MAX_NAME_CHARS)
                .maxNumberLength(32)
                .maxDocumentLength(maxBytes)
                .build())
        .streamWriteConstraints(
            StreamWriteConstraints.builder().maxNestingDepth(Limits.MAX_NESTING_DEPTH).build())
        // Error messages must not echo (possibly huge or binary) input back.
        .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
        // {"plan":"small","plan":"large"} is refused, at any depth, not read as last-one-wins.
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
  }
}
