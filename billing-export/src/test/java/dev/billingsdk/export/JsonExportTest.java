package dev.billingsdk.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.statement.Statement;
import java.io.StringWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class JsonExportTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String STATEMENT_SCHEMA = JsonExport.STATEMENT_SCHEMA;
  static final String SUMMARIES_SCHEMA = JsonExport.USAGE_SUMMARIES_SCHEMA;

  static Statement october() {
    ExportWorld world = new ExportWorld();
    AccountId licence = world.open("licence-1", "uma");
    return world.october(licence);
  }

  @Test
  void a_statement_document_names_its_schema_and_holds_exact_amounts_with_units() throws Exception {
    Statement s = october();
    String text = JsonExport.statement(s);
    JsonNode doc = JSON.readTree(text);

    assertThat(doc.get("schema").asText()).isEqualTo(JsonExport.STATEMENT_SCHEMA);
    assertThat(JsonExport.STATEMENT_SCHEMA).isEqualTo("billingsdk.statement/1");
    assertThat(doc.get("account").asText()).isEqualTo("licence-1");
    assertThat(doc.get("month").asText()).isEqualTo("2026-10");
    assertThat(doc.get("status").asText()).isEqualTo("CLOSED");
    assertThat(doc.get("closedAt").asText()).isEqualTo("2026-11-01T00:10:00Z");
    assertThat(doc.get("window").get("from").asText()).isEqualTo("2026-10-01T00:00:00Z");
    assertThat(doc.get("opening").toString())
        .isEqualTo("{\"amount\":\"0.00\",\"unit\":\"CREDIT\"}");
    assertThat(doc.get("totals").get("credits").get("amount").asText()).isEqualTo("2200.00");
    assertThat(doc.get("closing").get("amount").asText())
        .isEqualTo(s.closing().toDecimal().toPlainString());
    assertThat(doc.get("lines")).hasSize(s.lines().size());
    assertThat(doc.get("lines").get(0).get("lateFor").isNull()).isTrue();
    JsonNode m1 = doc.get("usage").get(0);
    assertThat(m1.get("instance").asText()).isEqualTo("m1");
    assertThat(m1.get("duration").asText()).isEqualTo("PT6H");
    assertThat(m1.get("quantity").asText()).isEqualTo("21600");
    assertThat(m1.get("credits").get("amount").asText()).isEqualTo("72.00");
    assertThat(m1.get("dimensions").toString())
        .isEqualTo(
            "{\"instance\":\"m1\",\"pool\":\"gpu\",\"region\":\"eu-west\",\"type\":\"a100\"}");
    assertThat(doc.get("hourly").get(1).toString())
        .isEqualTo(
            "{\"hour\":\"2026-10-03T09:00:00Z\",\"credits\":{\"amount\":\"18.00\",\"unit\":\"CREDIT\"},"
                + "\"instances\":2}");
    assertThat(text)
        .as("the same bytes everywhere")
        .doesNotContain("\r")
        .startsWith("{\n  \"schema\"");
    assertThat(JsonExport.statement(s)).isEqualTo(text);
  }

  @Test
  void statement_documents_satisfy_their_schema_and_the_check_catches_a_broken_one()
      throws Exception {
    SchemaCheck schema = SchemaCheck.load(STATEMENT_SCHEMA);
    JsonNode closed = JSON.readTree(JsonExport.statement(october()));
    assertThat(schema.problems(closed)).isEmpty();
    JsonNode open =
        JSON.readTree(
            JsonExport.statement(HandMade.statement("<b>", "PURCHASED", "\"quoted\" pool")));
    assertThat(schema.problems(open)).isEmpty();

    ObjectNode broken = closed.deepCopy();
    broken.remove("closing");
    ((ObjectNode) broken.get("opening")).put("amount", 12.5);
    ((ObjectNode) broken.get("lines").get(0)).put("section", "GIFT");
    broken.put("schema", "billingsdk.statement/2");
    assertThat(schema.problems(broken))
        .containsExactlyInAnyOrder(
            "/schema: \"billingsdk.statement/2\" is not \"billingsdk.statement/1\"",
            "/opening/amount: NUMBER is not \"string\"",
            "/lines/0/section: \"GIFT\" is not one of [\"CREDIT\",\"USAGE\",\"FIXED_FEE\",\"LICENCE\","
                + "\"ADD_ON\",\"REVERSAL\",\"EXPIRY\",\"VOID\",\"REFUND\",\"DEDUCTION\"]",
            ": missing required closing");
  }

  @Test
  void usage_summaries_satisfy_their_schema_with_and_without_currency() throws Exception {
    String text =
        JsonExport.usageSummaries(
            List.of(
                HandMade.summary("a", "machines", Map.of("pool", "gpu", "region", "eu"), "-5.00"),
                HandMade.converted(HandMade.summary("b", "tokens", Map.of(), "12.50"), "0.13")));
    JsonNode doc = JSON.readTree(text);
    assertThat(doc.get("schema").asText()).isEqualTo("billingsdk.usage-summaries/1");
    assertThat(doc.get("rows").get(0).get("credits").toString())
        .isEqualTo("{\"amount\":\"-5.00\",\"unit\":\"CREDIT\"}");
    assertThat(doc.get("rows").get(0).get("currency").isNull()).isTrue();
    assertThat(doc.get("rows").get(0).get("month").asText()).isEqualTo("2026-10");
    assertThat(doc.get("rows").get(1).get("currency").toString())
        .isEqualTo("{\"amount\":\"0.13\",\"unit\":\"USD\"}");
    SchemaCheck schema = SchemaCheck.load(SUMMARIES_SCHEMA);
    assertThat(schema.problems(doc)).isEmpty();

    ObjectNode broken = doc.deepCopy();
    ((ObjectNode) broken.get("rows").get(1)).remove("quantity");
    ((ObjectNode) broken.get("rows").get(0)).put("currency", "0.13");
    ((ObjectNode) broken.get("rows").get(0).get("credits")).put("amount", "1e5");
    assertThat(schema.problems(broken))
        .containsExactlyInAnyOrder(
            "/rows/1: missing required quantity",
            "/rows/0/currency: \"0.13\" matches 0 of oneOf",
            "/rows/0/credits/amount: \"1e5\" does not match \"^-?[0-9]+(\\\\.[0-9]+)?$\"");
  }

  @Test
  void a_statement_with_every_section_and_other_usage_satisfies_the_schema() throws Exception {
    JsonNode doc = JSON.readTree(JsonExport.statement(HandMade.everySection()));
    assertThat(SchemaCheck.load(STATEMENT_SCHEMA).problems(doc)).isEmpty();
    assertThat(doc.get("lines")).hasSize(10);
    assertThat(doc.get("lines").get(7).get("lateFor").asText()).isEqualTo("2026-09");
    assertThat(doc.get("usage").get(0).get("instance").isNull()).isTrue();
    assertThat(doc.get("usage").get(0).get("duration").isNull()).isTrue();
    assertThat(doc.get("usage").get(0).get("quantity").asText()).isEqualTo("1500.5");
    assertThat(doc.get("closedAt").isNull()).isTrue();
  }

  @Test
  void text_is_escaped_by_json_rules_and_the_writer_is_left_open() throws Exception {
    StringWriter out = new StringWriter();
    Writer guarded =
        new java.io.FilterWriter(out) {
          @Override
          public void close() {
            throw new AssertionError("the caller's writer must stay open");
          }
        };
    JsonExport.writeStatement(HandMade.statement("a\"b", "</script>", "x\\y\u0001"), guarded);
    JsonNode doc = JSON.readTree(out.toString());
    assertThat(doc.get("account").asText()).isEqualTo("a\"b");
    assertThat(doc.get("usage").get(0).get("dimensions").get("pool").asText())
        .isEqualTo("x\\y\u0001");
    assertThat(out.toString()).contains("\\u0001");
  }

  @Test
  void each_schema_is_published_under_its_own_name() throws Exception {
    for (String name : List.of(STATEMENT_SCHEMA, SUMMARIES_SCHEMA)) {
      JsonNode schema = JSON.readTree(JsonExport.jsonSchema(name));
      assertThat(schema.get("title").asText()).isEqualTo(name);
      assertThat(schema.at("/properties/schema/const").asText()).isEqualTo(name);
    }
    assertThatThrownBy(() -> JsonExport.jsonSchema("billingsdk.statement/2"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("schema");
    assertThatThrownBy(() -> JsonExport.jsonSchema(null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("schema");
  }

  @Test
  void missing_input_is_refused_naming_the_field() {
    assertThatThrownBy(() -> JsonExport.statement(null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("statement");
    assertThatThrownBy(() -> JsonExport.writeStatement(october(), null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("out");
    assertThatThrownBy(() -> JsonExport.usageSummaries(null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("rows");
    assertThatThrownBy(
            () ->
                JsonExport.usageSummaries(
                    java.util.Arrays.asList((dev.billingsdk.metering.UsageSummaryRow) null)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("rows");
  }
}
