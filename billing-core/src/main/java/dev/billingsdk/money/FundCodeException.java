package dev.billingsdk.money;

/**
 * An ISO 4217 fund code (the list marks it {@code IsFund}: BOV, CHE, CHW, CLF, COU, MXV, USN, UYI):
 * a unit of account or an index, not a currency payments are made in, so not a {@link
 * CurrencyUnit}. Price and charge in the currency the fund belongs to (CLP for CLF, USD for USN).
 */
public class FundCodeException extends CurrencyCodeException {
  private static final long serialVersionUID = 1L;

  public FundCodeException(String field, String code) {
    super(
        field,
        code,
        "is an ISO 4217 fund code (a unit of account, not a currency payments are made in)");
  }
}
