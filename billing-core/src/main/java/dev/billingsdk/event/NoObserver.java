package dev.billingsdk.event;

/** The observer that records nothing ({@link BillingObserver#none()}). */
final class NoObserver implements BillingObserver {
  static final NoObserver INSTANCE = new NoObserver();

  private NoObserver() {}

  @Override
  public String toString() {
    return "BillingObserver.none()";
  }
}
