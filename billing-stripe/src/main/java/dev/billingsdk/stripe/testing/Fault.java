package dev.billingsdk.stripe.testing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A failure {@link FakeStripe} answers one request with instead of serving it, queued with {@link
 * FakeStripe#inject}. Faults happen in front of Stripe's idempotency layer (as its rate limiter and
 * its load balancers do): nothing is stored under the request's idempotency key, so a retry with
 * the same key is served normally.
 */
public sealed interface Fault {

  /** Answers {@code status} with {@code body} (JSON, e.g. Stripe's error object) and no more. */
  static Answer status(int status, String body) {
    return new Answer(status, body, Map.of());
  }

  /** Closes the connection without answering: the client sees the connection reset. */
  static Fault dropConnection() {
    return new Drop();
  }

  /**
   * Holds the request for {@code delay} (or until the fake closes), then serves it normally: a
   * client whose timeout is shorter gives up though the request ran, as happens with Stripe.
   */
  static Fault delay(Duration delay) {
    return new Delay(delay);
  }

  /**
   * A canned answer; {@link #withHeader} adds response headers such as {@code Stripe-Should-Retry}.
   */
  record Answer(int status, String body, Map<String, String> headers) implements Fault {
    public Answer {
      if (status < 200 || status > 599) {
        throw new IllegalArgumentException("an HTTP status is 200 to 599; got " + status);
      }
      Objects.requireNonNull(body, "body");
      headers = Map.copyOf(headers);
    }

    /** This answer with one more response header. */
    public Answer withHeader(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return new Answer(status, body, more);
    }
  }

  /** See {@link Fault#dropConnection()}. */
  record Drop() implements Fault {}

  /** See {@link Fault#delay(Duration)}. */
  record Delay(Duration duration) implements Fault {
    public Delay {
      Objects.requireNonNull(duration, "duration");
      if (duration.isNegative()) {
        throw new IllegalArgumentException("a delay is not negative");
      }
    }
  }
}
