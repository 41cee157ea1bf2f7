-- billing-jdbc schema, version 13, for MariaDB: the invoice an application of credits pays.
-- ${prefix} is the table prefix, as in V1.

-- The transaction's billing.invoice reference, kept in a column of its own so that an account's
-- applications to one invoice are found from an index (BillingStore.invoiceApplications): the
-- invoice-credit guard reads them before every application. utf8mb4_bin, as every identifier.
ALTER TABLE ${prefix}transactions ADD COLUMN invoice VARCHAR(128) COLLATE utf8mb4_bin;
UPDATE ${prefix}transactions SET invoice = JSON_VALUE(refs, '$."billing.invoice"')
  WHERE JSON_EXISTS(refs, '$."billing.invoice"');
CREATE INDEX ${prefix}transactions_invoice ON ${prefix}transactions (tenant, account_id, invoice);

INSERT INTO ${prefix}schema_version (version, description) VALUES (13, 'invoice applications');
