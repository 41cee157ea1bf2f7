package dev.billingsdk.console.web;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.console.security.TokenActors;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The API's refusals. The library's {@link AccessDeniedException} is RFC 6750's {@code
 * insufficient_scope}: 403 with {@code WWW-Authenticate: Bearer error="insufficient_scope"},
 * exactly as Spring Security answers a route the token's roles do not reach.
 */
@RestControllerAdvice(assignableTypes = AdminApi.class)
public class ApiErrors {

  @ExceptionHandler({AccessDeniedException.class, TokenActors.NoRoleException.class})
  ResponseEntity<Map<String, String>> denied(RuntimeException e) {
    return ResponseEntity.status(HttpStatus.FORBIDDEN)
        .header(
            HttpHeaders.WWW_AUTHENTICATE,
            "Bearer error=\"insufficient_scope\", error_description=\"the token's roles do not allow"
                + " this operation\"")
        .body(Map.of("error", "insufficient_scope"));
  }

  @ExceptionHandler(InvalidRequestException.class)
  ResponseEntity<Map<String, String>> invalid(InvalidRequestException e) {
    return ResponseEntity.badRequest()
        .body(Map.of("error", "invalid_request", "field", e.field(), "message", e.getMessage()));
  }

  /** A deduction of more than the category holds: nothing was written. */
  @ExceptionHandler(dev.billingsdk.credit.InsufficientCreditException.class)
  ResponseEntity<Map<String, String>> insufficient(
      dev.billingsdk.credit.InsufficientCreditException e) {
    return ResponseEntity.status(HttpStatus.CONFLICT)
        .body(
            Map.of(
                "error",
                "insufficient_credit",
                "available",
                e.available().toString(),
                "message",
                e.getMessage()));
  }

  @ExceptionHandler(dev.billingsdk.credit.AccountNotFoundException.class)
  ResponseEntity<Map<String, String>> notFound(RuntimeException e) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "not_found"));
  }
}
