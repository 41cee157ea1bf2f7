-- billing-jdbc schema, version 13, for PostgreSQL: the invoice an application of credits pays.
-- ${prefix} is the table prefix, as in V1.

-- The transaction's billing.invoice reference, kept in a column of its own so that an account's
-- applications to one invoice are found from an index (BillingStore.invoiceApplications): the
-- invoice-credit guard reads them before every application. The index is partial, so an ordinary
-- charge, which names no invoice, writes no entry in it.
ALTER TABLE ${prefix}transactions ADD COLUMN invoice VARCHAR(128);
UPDATE ${prefix}transactions SET invoice = refs->>'billing.invoice' WHERE refs ? 'billing.invoice';
CREATE INDEX ${prefix}transactions_invoice ON ${prefix}transactions (tenant, account_id, invoice)
  WHERE invoice IS NOT NULL;

INSERT INTO ${prefix}schema_version (version, description) VALUES (13, 'invoice applications');
