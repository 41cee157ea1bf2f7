package dev.billingsdk.console.web;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.console.security.TokenActors;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;

/** The pages' refusals: the library's or the console's, shown as a page with its status. */
@ControllerAdvice(assignableTypes = {BillingPages.class, StatementPages.class, BuyPages.class})
public class ConsoleErrors {

  @ExceptionHandler({AccessDeniedException.class, TokenActors.NoRoleException.class})
  @ResponseStatus(HttpStatus.FORBIDDEN)
  String denied(RuntimeException e, Model model) {
    model.addAttribute("status", 403);
    model.addAttribute("message", "You may not see or do this.");
    return "refused";
  }

  @ExceptionHandler(InvalidRequestException.class)
  @ResponseStatus(HttpStatus.BAD_REQUEST)
  String invalid(InvalidRequestException e, Model model) {
    model.addAttribute("status", 400);
    model.addAttribute("message", e.getMessage());
    return "refused";
  }
}
