package dev.billingsdk.spring;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.payment.WebhookRejectedException;
import dev.billingsdk.purchase.WebhookOutcome;
import dev.billingsdk.setup.Billing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The webhook endpoints, {@code POST ${billing.webhooks.path}/{provider}} ({@code
 * /billing/webhooks/stripe}, {@code /billing/webhooks/flutterwave}). The body is read as bytes,
 * untouched, because the signatures are over the bytes. The answer is what the providers expect:
 *
 * <ul>
 *   <li>{@code 200} once the delivery is stored and acted on (a duplicate and an event of no
 *       concern too: nothing to retry);
 *   <li>{@code 400} when it does not verify (bad or missing signature, stale timestamp, unreadable
 *       payload): nothing was stored;
 *   <li>{@code 404} for a provider that is not configured;
 *   <li>{@code 500} when it could not be stored or acted on (the database is down): the provider
 *       sends it again later, and a delivery sent again is handled once.
 * </ul>
 */
@RestController
public class BillingWebhookController {
  private static final Logger LOG = LoggerFactory.getLogger(BillingWebhookController.class);

  private final Billing billing;

  public BillingWebhookController(Billing billing) {
    this.billing = Objects.requireNonNull(billing, "billing");
  }

  /** One delivery. */
  @PostMapping(
      path = "${billing.webhooks.path:/billing/webhooks}/{provider}",
      consumes = MediaType.ALL_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Map<String, String>> receive(
      @PathVariable("provider") String provider,
      @RequestBody(required = false) byte @Nullable [] body,
      @RequestHeader MultiValueMap<String, String> headers) {
    Map<String, List<String>> received = new LinkedHashMap<>();
    headers.forEach((name, values) -> received.put(name, List.copyOf(values)));
    byte[] bytes = body == null ? new byte[0] : body;
    try {
      WebhookOutcome outcome = billing.purchases().handleWebhook(provider, bytes, received);
      return ResponseEntity.ok(
          Map.of("received", outcome.effect().name().toLowerCase(Locale.ROOT)));
    } catch (WebhookRejectedException e) {
      LOG.warn("{} webhook refused: {}", e.provider(), e.reason());
      return ResponseEntity.badRequest()
          .body(Map.of("error", e.reason().name().toLowerCase(Locale.ROOT)));
    } catch (InvalidRequestException e) {
      if ("provider".equals(e.field())) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND)
            .body(Map.of("error", "unknown_provider"));
      }
      LOG.error("{} webhook not handled: {}", provider, e.getMessage());
      return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
          .body(Map.of("error", "not_handled"));
    } catch (RuntimeException e) {
      LOG.error("{} webhook not handled, the provider will send it again", provider, e);
      return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
          .body(Map.of("error", "not_handled"));
    }
  }
}
