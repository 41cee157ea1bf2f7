package dev.billingsdk.flutterwave.testing;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link FakeFlutterwave} does with one API request instead of serving it, queued with {@link
 * FakeFlutterwave#inject}: each queued fault takes the next API request (authenticated or not), in
 * order. The hosted pages are never faulted. Flutterwave has no idempotency keys, so a request that
 * was {@linkplain #delay delayed} has run and a retry of it runs again.
 */
public sealed interface Fault {

  /**
   * The request is answered with {@code status} and {@code body} (e.g. Flutterwave's error
   * envelope) and not served: nothing changes.
   *
   * @param status an HTTP status, 200 to 599
   * @param body the response body, sent as {@code application/json}
   */
  static Fault status(int status, String body) {
    return new Status(status, body);
  }

  /**
   * The connection is closed before any answer: the client sees a reset or an empty response. (The
   * JDK's HTTP client may retry a GET on its own when this happens; not a POST.)
   */
  static Fault dropConnection() {
    return new DropConnection();
  }

  /**
   * The request is held for {@code duration} (or until the fake closes), then served normally: a
   * client that gave up sooner does not know that it ran.
   *
   * @param duration how long to hold; not negative
   */
  static Fault delay(Duration duration) {
    return new Delay(duration);
  }

  /**
   * See {@link Fault#status(int, String)}.
   *
   * @param status the HTTP status
   * @param body the response body
   */
  record Status(int status, String body) implements Fault {
    /** Checks the status range and that the body is present. */
    public Status {
      if (status < 200 || status > 599) {
        throw new IllegalArgumentException("an HTTP status is 200 to 599, not " + status);
      }
      Objects.requireNonNull(body, "body");
    }
  }

  /** See {@link Fault#dropConnection()}. */
  record DropConnection() implements Fault {}

  /**
   * See {@link Fault#delay(Duration)}.
   *
   * @param duration how long the request is held
   */
  record Delay(Duration duration) implements Fault {
    /** Checks that the duration is present and not negative. */
    public Delay {
      Objects.requireNonNull(duration, "duration");
      if (duration.isNegative()) {
        throw new IllegalArgumentException("a delay is not negative: " + duration);
      }
    }
  }
}
