package dev.billingsdk.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.statement.Statement;
import dev.billingsdk.statement.StatementWindow;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HtmlStatementTest {

  static Statement october() {
    ExportWorld world = new ExportWorld();
    AccountId licence = world.open("licence-1", "uma");
    return world.october(licence);
  }

  @Test
  void the_page_has_the_summary_charts_with_their_data_lines_credits_and_machines() {
    Statement s = october();
    String html = HtmlStatement.render(s);

    assertThat(html)
        .startsWith("<!DOCTYPE html>\n<html lang=\"en\">")
        .contains("<title>Statement licence-1 2026-10 (CREDIT)</title>")
        .contains("Ending balance <strong>" + s.closing().toDecimal().toPlainString() + " CREDIT")
        .contains("<th scope=\"row\">Opening balance</th><td class=\"num\">0.00 CREDIT</td>")
        .contains("<th scope=\"row\">Credits received</th><td class=\"num\">2200.00 CREDIT</td>")
        .contains("<title id=\"monthly-cost-title\">Monthly cost by pool</title>")
        .contains("<title id=\"hourly-cost-title\">Hourly cost</title>")
        .contains("<table id=\"monthly-cost-data\">")
        .contains("<table id=\"hourly-cost-data\">")
        .contains("<section id=\"credits\">")
        .contains("<td>PROMOTIONAL</td>")
        .contains("<table id=\"machine-usage-data\">")
        .contains("<td>m6</td><td>2026-10-27T18:00:00Z</td><td class=\"num\">8 h 15 min</td>")
        .contains("@media print");
    // One slice per pool, largest first, each with its exact value.
    assertThat(count(html, "<g class=\"slice\">")).isEqualTo(3);
    assertThat(html).contains("<title>gpu: ");
    assertThat(count(html, "<tr><th scope=\"row\">2026-10-"))
        .isEqualTo(s.hourly(Optional.empty()).size());
    assertThat(count(html, "<rect x=")).isEqualTo(s.hourly(Optional.empty()).size() + 3);
  }

  @Test
  void the_caller_picks_the_pie_dimension() {
    Statement s = october();
    String byType = HtmlStatement.render(s, "type");
    assertThat(byType)
        .contains("<title id=\"monthly-cost-title\">Monthly cost by type</title>")
        .contains("<title>a100: ")
        .contains("<title>h100: ");
    assertThat(HtmlStatement.render(s, "region")).contains("<title>eu-west: ");
    assertThat(HtmlStatement.render(s, "colour"))
        .as("usage without the dimension is one (none) slice")
        .contains("<title>(none): ")
        .contains("<circle ");
  }

  @Test
  void the_page_is_self_contained_with_no_script_and_nothing_to_load() {
    String html = HtmlStatement.render(october());
    assertThat(html.toLowerCase(java.util.Locale.ROOT))
        .doesNotContain("<script")
        .doesNotContain("<link")
        .doesNotContain("<img")
        .doesNotContain("<iframe")
        .doesNotContain(" src=")
        .doesNotContain(" href=")
        .doesNotContain("url(")
        .doesNotContain("@import")
        .doesNotContain("@font-face")
        .doesNotContain("http:")
        .doesNotContain("https:")
        .contains("content=\"default-src 'none'; style-src 'unsafe-inline'\"");
  }

  @Test
  void the_same_statement_gives_the_same_bytes() {
    Statement s = october();
    String first = HtmlStatement.render(s);
    assertThat(HtmlStatement.render(october())).isEqualTo(first);
    assertThat(first).doesNotContain("\r");
  }

  @Test
  void every_chart_is_an_image_labelled_by_its_own_title_and_description() {
    String html = HtmlStatement.render(october());
    Matcher svg =
        Pattern.compile(
                "<svg id=\"([a-z-]+)\" class=\"chart\" role=\"img\" "
                    + "aria-labelledby=\"([a-z-]+) ([a-z-]+)\"")
            .matcher(html);
    int charts = 0;
    while (svg.find()) {
      charts++;
      assertThat(html).contains("<title id=\"" + svg.group(2) + "\">");
      assertThat(html).contains("<desc id=\"" + svg.group(3) + "\">");
      assertThat(html).contains("<table id=\"" + svg.group(1) + "-data\">");
    }
    assertThat(charts).isEqualTo(2);
    assertThat(html)
        .contains("<desc id=\"monthly-cost-desc\">Usage cost of 2026-10 by pool: gpu ")
        .contains("with usage, the highest ");
  }

  @Test
  void markup_in_ids_keys_and_dimension_values_is_shown_as_text() {
    String script = "<script>alert(1)</script>";
    Statement s = HandMade.statement("<b>bold</b>", "\" onmouseover=\"alert(2)", script);
    String html = HtmlStatement.render(s);
    assertThat(html.toLowerCase(java.util.Locale.ROOT))
        .doesNotContain("<script")
        .doesNotContain("<b>");
    assertThat(html)
        .doesNotContain("\" onmouseover=\"")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("Statement for &lt;b&gt;bold&lt;/b&gt;")
        .contains("<td>&quot; onmouseover=&quot;alert(2)</td>")
        .contains("<title>&lt;script&gt;alert(1)&lt;/script&gt;: 24.00 CREDIT (100.0%)</title>");
    assertThat(HtmlStatement.render(s, "<i>dim</i>"))
        .contains("Monthly cost by &lt;i&gt;dim&lt;/i&gt;")
        .doesNotContain("<i>");
  }

  @Test
  void a_month_without_usage_says_so() {
    Statement empty =
        new Statement(
            TenantId.of("acme"),
            AccountId.of("quiet"),
            HandMade.OCTOBER,
            Statement.Status.OPEN,
            HandMade.CREDITS,
            HandMade.credits("5.00"),
            HandMade.credits("5.00"),
            List.of(),
            List.of(),
            Map.of(),
            StatementWindow.open(HandMade.OCTOBER, StatementWindow.NONE),
            0,
            Optional.empty());
    String html = HtmlStatement.render(empty);
    assertThat(count(html, "No usage cost")).isEqualTo(2);
    assertThat(html)
        .contains("Open, may still change")
        .contains("No transactions this month.")
        .contains("No credits this month.")
        .contains("No machine usage this month.")
        .contains("by pool: no usage.");
  }

  @Test
  void every_section_has_its_name_late_lines_say_so_and_other_usage_has_its_own_table() {
    String html = HtmlStatement.render(HandMade.everySection());
    for (String name :
        List.of(
            "Credit",
            "Usage",
            "Fixed fee",
            "Licence",
            "Add-on",
            "Reversal",
            "Expiry",
            "Void",
            "Refund")) {
      assertThat(html).contains("<td>" + name + "</td>");
    }
    assertThat(html)
        .contains("<th scope=\"row\">Charges reversed</th><td class=\"num\">1.00 CREDIT</td>")
        .contains("<tr class=\"late\"><td>Void</td><td>item</td><td>late, for 2026-09</td>")
        .contains("<section id=\"usage\">")
        .contains(
            "<td>tokens</td><td>model=large</td><td>2026-10</td><td class=\"num\">1500.5</td>")
        .contains("No machine usage this month.")
        .contains("1 hour with usage, the highest 3.50 CREDIT at 2026-10-05T14:00:00Z.");
  }

  @Test
  void bad_input_is_refused_naming_the_field() {
    Statement s = HandMade.statement("a", "PURCHASED", "gpu");
    assertThatThrownBy(() -> HtmlStatement.render(null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("statement");
    assertThatThrownBy(() -> HtmlStatement.render(s, " "))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("pieDimension");
    assertThatThrownBy(() -> HtmlStatement.write(s, "pool", null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("out");
  }

  @Test
  void durations_read_as_hours_and_minutes() {
    assertThat(HtmlStatement.duration(java.time.Duration.ofMinutes(125))).isEqualTo("2 h 05 min");
    assertThat(HtmlStatement.duration(java.time.Duration.ofSeconds(61)))
        .isEqualTo("0 h 01 min 01 s");
  }

  static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
