package dev.billingsdk.payment;

/** What a hosted checkout sells. */
public enum CheckoutMode {
  /** A one-time payment, e.g. a credit package. */
  PAYMENT,
  /** The first period of a subscription plan; the provider then charges each period. */
  SUBSCRIPTION
}
