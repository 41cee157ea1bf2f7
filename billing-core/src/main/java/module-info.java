/**
 * The billing core: the entry point {@link dev.billingsdk.setup.Billing}, the domain (credit,
 * ledger, metering, money, events), the storage SPI and the in-memory store.
 *
 * <p>Only these packages are exported. {@code dev.billingsdk.internal} (the services behind {@code
 * Billing}) is not: a host on the module path can neither compile against it nor reach it by
 * reflection, and it may change in any release. Every package is {@code @NullMarked}: nothing is
 * null unless it is annotated {@code @Nullable}.
 */
module dev.billingsdk.core {
  exports dev.billingsdk;
  exports dev.billingsdk.catalogue;
  exports dev.billingsdk.credit;
  exports dev.billingsdk.economy;
  exports dev.billingsdk.event;
  exports dev.billingsdk.ledger;
  exports dev.billingsdk.metering;
  exports dev.billingsdk.payment;
  exports dev.billingsdk.purchase;
  exports dev.billingsdk.report;
  exports dev.billingsdk.money;
  exports dev.billingsdk.spi;
  exports dev.billingsdk.statement;
  exports dev.billingsdk.subscription;
  exports dev.billingsdk.topup;
  exports dev.billingsdk.memory;
  exports dev.billingsdk.setup;

  // Annotations only: needed to compile, not to run. Transitive, so that a host's compiler and
  // null checker read the @NullMarked / @Nullable on this module's API.
  requires static transitive org.jspecify;

  // Used inside dev.billingsdk.internal only (logging; the rating state as a JSON tree, no data
  // binding of our classes, so nothing is opened to Jackson); no exported signature names them.
  requires org.slf4j;
  requires com.fasterxml.jackson.databind;
}
