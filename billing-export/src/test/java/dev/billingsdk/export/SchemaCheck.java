package dev.billingsdk.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The part of JSON Schema (2020-12) that the export's schema files use: type, const, enum,
 * required, properties, additionalProperties, items, pattern, minimum, oneOf and local $ref. Small
 * enough to read, so the module needs no validator dependency; a keyword it does not know fails the
 * check, so a schema cannot silently say more than is tested.
 */
final class SchemaCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> KNOWN =
      List.of(
          "$schema",
          "$id",
          "$defs",
          "title",
          "description",
          "format",
          "type",
          "const",
          "enum",
          "required",
          "properties",
          "additionalProperties",
          "items",
          "pattern",
          "minimum",
          "oneOf",
          "$ref");

  private final JsonNode root;

  private SchemaCheck(JsonNode root) {
    this.root = root;
  }

  /** The schema of a shape, as {@link JsonExport#jsonSchema} gives it. */
  static SchemaCheck load(String schema) throws IOException {
    return new SchemaCheck(JSON.readTree(JsonExport.jsonSchema(schema)));
  }

  /** The problems of the document, each with its JSON pointer; empty when it is valid. */
  List<String> problems(JsonNode document) {
    List<String> problems = new ArrayList<>();
    check(root, document, "", problems);
    return problems;
  }

  private void check(JsonNode schema, JsonNode value, String at, List<String> problems) {
    for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!KNOWN.contains(name)) {
        problems.add(at + ": the check does not know keyword " + name);
      }
    }
    if (schema.has("$ref")) {
      String ref = schema.get("$ref").asText();
      check(root.at(ref.substring(1)), value, at, problems);
    }
    if (schema.has("type") && !typeMatches(schema.get("type"), value)) {
      problems.add(at + ": " + value.getNodeType() + " is not " + schema.get("type"));
      return;
    }
    if (schema.has("const") && !schema.get("const").equals(value)) {
      problems.add(at + ": " + value + " is not " + schema.get("const"));
    }
    if (schema.has("enum")) {
      boolean found = false;
      for (JsonNode e : schema.get("enum")) {
        found |= e.equals(value);
      }
      if (!found) {
        problems.add(at + ": " + value + " is not one of " + schema.get("enum"));
      }
    }
    if (schema.has("pattern")
        && value.isTextual()
        && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
      problems.add(at + ": " + value + " does not match " + schema.get("pattern"));
    }
    if (schema.has("minimum")
        && value.isNumber()
        && value.asLong() < schema.get("minimum").asLong()) {
      problems.add(at + ": " + value + " is below " + schema.get("minimum"));
    }
    if (schema.has("oneOf")) {
      int matches = 0;
      for (JsonNode option : schema.get("oneOf")) {
        matches += check(option, value) ? 1 : 0;
      }
      if (matches != 1) {
        problems.add(at + ": " + value + " matches " + matches + " of oneOf");
      }
    }
    if (value.isObject()) {
      if (schema.has("required")) {
        for (JsonNode r : schema.get("required")) {
          if (!value.has(r.asText())) {
            problems.add(at + ": missing required " + r.asText());
          }
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> f = fields.next();
        JsonNode properties = schema.path("properties");
        if (properties.has(f.getKey())) {
          check(properties.get(f.getKey()), f.getValue(), at + "/" + f.getKey(), problems);
        } else if (schema.has("additionalProperties")) {
          check(schema.get("additionalProperties"), f.getValue(), at + "/" + f.getKey(), problems);
        }
      }
    }
    if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        check(schema.get("items"), value.get(i), at + "/" + i, problems);
      }
    }
  }

  private boolean check(JsonNode schema, JsonNode value) {
    List<String> problems = new ArrayList<>();
    check(schema, value, "", problems);
    return problems.isEmpty();
  }

  private static boolean typeMatches(JsonNode type, JsonNode value) {
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (typeMatches(t, value)) {
          return true;
        }
      }
      return false;
    }
    switch (type.asText()) {
      case "object":
        return value.isObject();
      case "array":
        return value.isArray();
      case "string":
        return value.isTextual();
      case "integer":
        return value.isIntegralNumber();
      case "number":
        return value.isNumber();
      case "boolean":
        return value.isBoolean();
      case "null":
        return value.isNull();
      default:
        throw new IllegalArgumentException("unknown type " + type);
    }
  }
}
