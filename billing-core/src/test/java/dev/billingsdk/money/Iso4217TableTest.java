package dev.billingsdk.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The shipped table ({@code iso4217.csv}) against a copy of the list it was taken from, {@code
 * list_one.xml} in the test resources (see the README beside it for its source and date).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class Iso4217TableTest {

  /**
   * The published list, read with the JDK's XML parser: code to entry, and its publication date.
   */
  record Published(String date, Map<String, Iso4217.Entry> entries) {}

  static Published published() throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document doc;
    try (InputStream in = Iso4217TableTest.class.getResourceAsStream("list_one.xml")) {
      assertThat(in).as("list_one.xml in the test resources").isNotNull();
      doc = factory.newDocumentBuilder().parse(in);
    }
    Element root = doc.getDocumentElement();
    assertThat(root.getTagName()).isEqualTo("ISO_4217");
    Map<String, Iso4217.Entry> entries = new TreeMap<>();
    NodeList rows = root.getElementsByTagName("CcyNtry");
    for (int i = 0; i < rows.getLength(); i++) {
      Element row = (Element) rows.item(i);
      String code = text(row, "Ccy");
      if (code == null) {
        continue; // a territory with no universal currency (Antarctica, Palestine)
      }
      Element name = (Element) row.getElementsByTagName("CcyNm").item(0);
      String minor = text(row, "CcyMnrUnts");
      Iso4217.Entry entry =
          new Iso4217.Entry(
              code,
              Integer.parseInt(text(row, "CcyNbr")),
              "N.A.".equals(minor) ? -1 : Integer.parseInt(minor),
              "true".equals(name.getAttribute("IsFund")));
      Iso4217.Entry before = entries.putIfAbsent(code, entry);
      assertThat(before).as("every row of %s says the same", code).isIn(null, entry);
    }
    return new Published(root.getAttribute("Pblshd"), entries);
  }

  private static String text(Element row, String tag) {
    NodeList found = row.getElementsByTagName(tag);
    return found.getLength() == 0 ? null : found.item(0).getTextContent().trim();
  }

  @Test
  void the_shipped_table_is_the_published_list_exactly() throws Exception {
    Published list = published();

    assertThat(Iso4217.table().entries()).isEqualTo(list.entries());
    assertThat(Iso4217.table().edition()).isEqualTo(list.date()).isEqualTo("2024-06-25");
  }

  @Test
  void the_published_list_holds_the_expected_kinds_of_code() throws Exception {
    Map<String, Iso4217.Entry> list = published().entries();

    assertThat(list).hasSize(179);
    assertThat(list.values().stream().filter(Iso4217.Entry::fund).map(Iso4217.Entry::code))
        .containsExactly("BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI");
    assertThat(list.values().stream().filter(e -> !e.hasMinorUnit()).map(Iso4217.Entry::code))
        .containsExactly(
            "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA",
            "XXX");
    assertThat(list.get("CLF")).isEqualTo(new Iso4217.Entry("CLF", 990, 4, true));
    assertThat(list.get("UYW")).isEqualTo(new Iso4217.Entry("UYW", 927, 4, false));
  }

  /**
   * UYW (Unidad Previsional, four decimals) is on the list but not in JDK 17's currency data, where
   * {@code Currency.getInstance("UYW")} throws: ours knows it.
   */
  @Test
  void a_code_the_JDK_17_lacks_is_a_currency_with_its_listed_minor_unit() {
    assertThat(CurrencyUnit.of("UYW").minorUnits()).isEqualTo(4);
    assertThat(CurrencyUnit.of("ZWG").minorUnits()).isEqualTo(2);
  }

  /** No class of the money package refers to java.util.Currency, not even in a constant. */
  @Test
  void no_money_class_refers_to_java_util_Currency() throws IOException, URISyntaxException {
    Path dir = Path.of(CurrencyUnit.class.getResource("CurrencyUnit.class").toURI()).getParent();
    List<String> checked = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file :
          (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
        String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(bytes).as(file.getFileName().toString()).doesNotContain("java/util/Currency");
        checked.add(file.getFileName().toString());
      }
    }
    assertThat(checked).contains("CurrencyUnit.class", "CreditUnit.class", "Iso4217.class");
  }

  // ---------------------------------------------------------------- a damaged table is refused

  static List<String> table(String... rows) {
    List<String> lines = new ArrayList<>(List.of("# a comment", "# edition: 2024-06-25"));
    lines.add("code,numeric,minor,fund");
    lines.addAll(List.of(rows));
    return lines;
  }

  @Test
  void a_well_formed_table_parses() {
    Iso4217.Table t =
        Iso4217.parse(table("USD,840,2,false", "XAU,959,N.A.,false", "CLF,990,4,true"));

    assertThat(t.edition()).isEqualTo("2024-06-25");
    assertThat(t.entries())
        .containsOnlyKeys("CLF", "USD", "XAU")
        .containsEntry("XAU", new Iso4217.Entry("XAU", 959, -1, false));
  }

  @ParameterizedTest(name = "\"{0}\" is refused")
  @ValueSource(
      strings = {
        "USD,840,2",
        "USD,840,2,false,x",
        "usd,840,2,false",
        "USD,84,2,false",
        "USD,840,,false",
        "USD,840,10,false",
        "USD,840,NA,false",
        "USD,840,2,yes",
        "USD,840,2,false|USD,840,2,false",
        ""
      })
  void a_damaged_row_is_refused(String rows) {
    assertThatThrownBy(() -> Iso4217.parse(table(rows.split("\\|"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is damaged at line");
  }

  @Test
  void a_table_without_edition_header_or_codes_is_refused() {
    assertThatThrownBy(() -> Iso4217.parse(List.of("code,numeric,minor,fund", "USD,840,2,false")))
        .hasMessageContaining("no edition line");
    assertThatThrownBy(() -> Iso4217.parse(table()))
        .hasMessageContaining("no edition line or no codes");
    assertThatThrownBy(() -> Iso4217.parse(List.of("# edition: 2024-06-25", "USD,840,2,false")))
        .hasMessageContaining("line 2: USD,840,2,false");
    assertThatThrownBy(() -> Iso4217.parse(List.of("# edition: 25 June 2024")))
        .hasMessageContaining("line 1");
    assertThatThrownBy(
            () ->
                Iso4217.parse(
                    List.of("code,numeric,minor,fund", "# edition: 2024-06-25", "USD,840,2,false")))
        .hasMessageContaining("line 2");
  }
}
