-- billing-jdbc schema, version 13, for H2: the invoice an application of credits pays.
-- ${prefix} is the table prefix, as in V1.

-- The transaction's billing.invoice reference, kept in a column of its own so that an account's
-- applications to one invoice are found from an index (BillingStore.invoiceApplications): the
-- invoice-credit guard reads them before every application.
ALTER TABLE ${prefix}transactions ADD COLUMN invoice VARCHAR(128);
-- H2 has no JSON path functions: the value is read from the stored JSON text, a flat object whose
-- strings escape only quote, backslash and non-ASCII characters (\uXXXX). The key must follow '{'
-- or ',', so the same characters inside another key or a value (where quotes are escaped) never
-- match; STRINGDECODE undoes those escapes, which are Java's as well.
UPDATE ${prefix}transactions SET invoice = STRINGDECODE(
    REGEXP_SUBSTR(refs, '[{,]"billing\.invoice":"((?:[^"\\]|\\.)*)"', 1, 1, '', 1))
  WHERE refs LIKE '%"billing.invoice":"%';
CREATE INDEX ${prefix}transactions_invoice ON ${prefix}transactions (tenant, account_id, invoice);

INSERT INTO ${prefix}schema_version (version, description) VALUES (13, 'invoice applications');
