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
@ControllerAdvice(
    assignableTypes = {
      BillingPages.class,
      ReportPages.class,
      StatementPages.class,
      AccountPages.class,
      PartnerPages.class,
      BuyPages.class
    })
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

  /** A deduction of more than the category holds: nothing was written. */
  @ExceptionHandler(dev.billingsdk.credit.InsufficientCreditException.class)
  @ResponseStatus(HttpStatus.CONFLICT)
  String insufficient(RuntimeException e, Model model) {
    model.addAttribute("status", 409);
    model.addAttribute("message", e.getMessage());
    return "refused";
  }

  /** A date, time or month in a filter that is not one. */
  @ExceptionHandler(java.time.format.DateTimeParseException.class)
  @ResponseStatus(HttpStatus.BAD_REQUEST)
  String unreadable(java.time.format.DateTimeParseException e, Model model) {
    model.addAttribute("status", 400);
    model.addAttribute("message", "Not a date: " + e.getParsedString());
    return "refused";
  }

  @ExceptionHandler(dev.billingsdk.credit.AccountNotFoundException.class)
  @ResponseStatus(HttpStatus.NOT_FOUND)
  String notFound(RuntimeException e, Model model) {
    model.addAttribute("status", 404);
    model.addAttribute("message", "No such licence.");
    return "refused";
  }
}
