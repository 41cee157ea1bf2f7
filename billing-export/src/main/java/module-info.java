/**
 * Finance exports: statements and usage summaries as CSV, JSON and a printable HTML statement.
 *
 * <p>{@code dev.billingsdk.export} is the API; {@code dev.billingsdk.export.internal} (value
 * formatting, the CSV cell rule, HTML escaping, the SVG charts) is not exported. The JSON Schema
 * files ({@code dev/billingsdk/export/*.schema.json}) are resources of the module; a host reads
 * them with {@code JsonExport.jsonSchema(..)} (the package is not opened).
 */
module dev.billingsdk.export {
  exports dev.billingsdk.export;

  requires static transitive org.jspecify;
  requires transitive dev.billingsdk.core;

  // Inside the module only: RFC 4180 writing (Commons CSV) and the JSON streaming generator.
  requires org.apache.commons.csv;
  requires com.fasterxml.jackson.core;
}
