package dev.billingsdk.payment;

import dev.billingsdk.BuilderRules;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import java.net.URI;
import java.time.Period;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A hosted checkout to create for one purchase. Build with {@link #builder}: the purchase
 * reference, amount, description, return URLs and idempotency key are required; each setter checks
 * its value at once and may be called once.
 */
public final class CheckoutRequest {
  private final String purchaseRef;
  private final Amount amount;
  private final String description;
  private final URI successUrl;
  private final URI cancelUrl;
  private final IdempotencyKey idempotencyKey;
  private final CheckoutMode mode;
  private final Optional<Period> recurring;
  private final Optional<String> customer;
  private final Optional<String> customerEmail;
  private final Optional<String> priceRef;
  private final boolean saveForOffSession;
  private final Map<String, String> metadata;

  private CheckoutRequest(Builder b) {
    this.purchaseRef = b.purchaseRef;
    this.amount = b.amount;
    this.description = BuilderRules.required(b.description, "description");
    this.successUrl = BuilderRules.required(b.successUrl, "successUrl");
    this.cancelUrl = BuilderRules.required(b.cancelUrl, "cancelUrl");
    this.idempotencyKey = BuilderRules.required(b.idempotencyKey, "idempotencyKey");
    this.mode = b.recurring == null ? CheckoutMode.PAYMENT : CheckoutMode.SUBSCRIPTION;
    this.recurring = Optional.ofNullable(b.recurring);
    this.customer = Optional.ofNullable(b.customer);
    this.customerEmail = Optional.ofNullable(b.customerEmail);
    this.priceRef = Optional.ofNullable(b.priceRef);
    this.saveForOffSession = b.saveForOffSession;
    this.metadata = Collections.unmodifiableSortedMap(new TreeMap<>(b.metadata));
  }

  /**
   * @param purchaseRef the purchase id, carried by the provider back to the library (Stripe's
   *     {@code client_reference_id}, Flutterwave's {@code tx_ref})
   * @param amount what the buyer pays, in an ISO 4217 currency
   */
  public static Builder builder(String purchaseRef, Amount amount) {
    return new Builder(purchaseRef, amount);
  }

  public String purchaseRef() {
    return purchaseRef;
  }

  public Amount amount() {
    return amount;
  }

  public CurrencyUnit currency() {
    return (CurrencyUnit) amount.unit();
  }

  /** What the checkout page shows as the item's name. */
  public String description() {
    return description;
  }

  public URI successUrl() {
    return successUrl;
  }

  public URI cancelUrl() {
    return cancelUrl;
  }

  public IdempotencyKey idempotencyKey() {
    return idempotencyKey;
  }

  /** {@link CheckoutMode#SUBSCRIPTION} exactly when {@link #recurring()} is present. */
  public CheckoutMode mode() {
    return mode;
  }

  /** For a subscription checkout: the billing period. */
  public Optional<Period> recurring() {
    return recurring;
  }

  /** The provider's customer id, if the buyer is known to it. */
  public Optional<String> customer() {
    return customer;
  }

  public Optional<String> customerEmail() {
    return customerEmail;
  }

  /** The provider's own price id for the item, if the catalogue maps one. */
  public Optional<String> priceRef() {
    return priceRef;
  }

  /** Whether to save the payment method for later off-session charges (auto-top-up). */
  public boolean saveForOffSession() {
    return saveForOffSession;
  }

  /** Extra key-value pairs the provider stores with the checkout and returns in webhooks. */
  public Map<String, String> metadata() {
    return metadata;
  }

  @Override
  public String toString() {
    return "CheckoutRequest[" + purchaseRef + ", " + amount + ", " + mode + "]";
  }

  /** Each setter checks its value at once and may be called once. */
  public static final class Builder {
    private final String purchaseRef;
    private final Amount amount;
    private @Nullable String description;
    private @Nullable URI successUrl;
    private @Nullable URI cancelUrl;
    private @Nullable IdempotencyKey idempotencyKey;
    private @Nullable Period recurring;
    private @Nullable String customer;
    private @Nullable String customerEmail;
    private @Nullable String priceRef;
    private boolean saveForOffSession;
    private boolean saveSet;
    private final Map<String, String> metadata = new TreeMap<>();

    private Builder(String purchaseRef, Amount amount) {
      this.purchaseRef = Identifiers.check(purchaseRef, "purchaseRef");
      InvalidRequestException.requireNonNull(amount, "amount");
      if (!(amount.unit() instanceof CurrencyUnit) || !amount.isPositive()) {
        throw new InvalidRequestException(
            "amount", amount, "must be a positive amount of an ISO 4217 currency");
      }
      this.amount = amount;
    }

    public Builder description(String description) {
      this.description =
          BuilderRules.once(
              "description",
              this.description,
              InputContract.nonBlankText(description, "description", 200));
      return this;
    }

    public Builder successUrl(URI url) {
      this.successUrl =
          BuilderRules.once("successUrl", this.successUrl, checkUrl(url, "successUrl"));
      return this;
    }

    public Builder cancelUrl(URI url) {
      this.cancelUrl = BuilderRules.once("cancelUrl", this.cancelUrl, checkUrl(url, "cancelUrl"));
      return this;
    }

    public Builder idempotencyKey(IdempotencyKey key) {
      this.idempotencyKey = BuilderRules.once("idempotencyKey", this.idempotencyKey, key);
      return this;
    }

    /** Makes it a subscription checkout billed every {@code period}. */
    public Builder recurring(Period period) {
      InvalidRequestException.requireNonNull(period, "recurring");
      if (period.isNegative() || period.isZero()) {
        throw new InvalidRequestException("recurring", period, "must be positive");
      }
      this.recurring = BuilderRules.once("recurring", this.recurring, period);
      return this;
    }

    public Builder customer(String customer) {
      this.customer =
          BuilderRules.once("customer", this.customer, Identifiers.check(customer, "customer"));
      return this;
    }

    public Builder customerEmail(String email) {
      String e = InputContract.nonBlankText(email, "customerEmail", 254);
      if (!e.matches("[^@\\s]+@[^@\\s]+")) {
        throw new InvalidRequestException("customerEmail", e, "must be an e-mail address");
      }
      this.customerEmail = BuilderRules.once("customerEmail", this.customerEmail, e);
      return this;
    }

    public Builder priceRef(String priceRef) {
      this.priceRef =
          BuilderRules.once("priceRef", this.priceRef, Identifiers.check(priceRef, "priceRef"));
      return this;
    }

    public Builder saveForOffSession(boolean save) {
      BuilderRules.once(
          "saveForOffSession", saveSet ? Boolean.valueOf(saveForOffSession) : null, save);
      this.saveForOffSession = save;
      this.saveSet = true;
      return this;
    }

    /** One metadata entry; keys are identifiers, each once; at most 20 entries. */
    public Builder metadata(String key, String value) {
      String k = Identifiers.check(key, "metadata");
      String v = InputContract.text(value, "metadata." + k, 500);
      BuilderRules.once("metadata." + k, metadata.get(k), v);
      if (metadata.size() >= 20) {
        throw new InvalidRequestException("metadata", k, "at most 20 entries");
      }
      metadata.put(k, v);
      return this;
    }

    private static URI checkUrl(URI url, String field) {
      InvalidRequestException.requireNonNull(url, field);
      String scheme = url.getScheme();
      if (!url.isAbsolute()
          || scheme == null
          || !(scheme.equals("https") || scheme.equals("http"))
          || url.getHost() == null) {
        throw new InvalidRequestException(field, url, "must be an absolute http(s) URL");
      }
      InputContract.text(url.toString(), field, 2048);
      return url;
    }

    public CheckoutRequest build() {
      return new CheckoutRequest(this);
    }
  }
}
