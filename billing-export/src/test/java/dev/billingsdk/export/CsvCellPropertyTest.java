package dev.billingsdk.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.export.internal.CsvTable;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The CSV cell rule holds for any text, and Commons CSV reads back exactly what was written. */
class CsvCellPropertyTest {

  @Property(tries = 500)
  void no_text_cell_reads_back_as_a_formula_and_safe_text_is_unchanged(@ForAll String text)
      throws Exception {
    StringBuilder out = new StringBuilder();
    CsvTable table = new CsvTable(out, "cell");
    table.text(text).end();
    table.flush();
    String back = CsvExportTest.parse(out.toString()).get(1).get(0);
    assertThat(back).isEqualTo(CsvTable.neutralise(text));
    if (!back.isEmpty()) {
      assertThat("=+-@\t\r".indexOf(back.charAt(0))).isEqualTo(-1);
    }
    if (text.isEmpty() || "=+-@\t\r".indexOf(text.charAt(0)) < 0) {
      assertThat(back).isEqualTo(text);
    } else {
      assertThat(back).isEqualTo("'" + text);
    }
  }
}
