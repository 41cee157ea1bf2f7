package dev.billingsdk.console.web;

import dev.billingsdk.AccountId;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.console.DemoData;
import dev.billingsdk.console.Directory;
import dev.billingsdk.console.security.TokenActors;
import dev.billingsdk.export.CsvExport;
import dev.billingsdk.export.HtmlStatement;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.statement.Statement;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.List;
import java.util.Set;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Seed 002's statement page: a licence (account) selector, a month picker, the summary, the
 * library's HTML statement (with its pie and hourly charts) and the CSV and HTML downloads. A
 * person sees the accounts they hold; finance and admin see every account of the tenant. The
 * library decides: asking for another person's account is refused by its access policy.
 */
@Controller
public class StatementPages {
  private final Billing billing;
  private final Directory directory;
  private final DemoData demo;

  public StatementPages(Billing billing, Directory directory, DemoData demo) {
    this.billing = billing;
    this.directory = directory;
    this.demo = demo;
  }

  @GetMapping("/statement")
  public String statement(
      @AuthenticationPrincipal Jwt jwt,
      @RequestParam(name = "account", required = false) String account,
      @RequestParam(name = "month", required = false) String month,
      Model model) {
    TenantId tenant = TokenActors.tenant(jwt);
    List<AccountId> accounts = visibleAccounts(directory, jwt);
    AccountId chosen =
        account != null ? AccountId.of(account) : accounts.isEmpty() ? null : accounts.get(0);
    YearMonth m = month != null && !month.isBlank() ? YearMonth.parse(month) : demo.usageMonth();
    model.addAttribute("accounts", accounts);
    model.addAttribute("month", m.toString());
    if (chosen != null) {
      Statement s = billing.statements().statement(tenant, chosen, m, TokenActors.actor(jwt));
      model.addAttribute("account", chosen.value());
      model.addAttribute("s", s);
    }
    return "statement";
  }

  /** The library's HTML statement, shown in the page's frame and offered as a download. */
  @GetMapping("/statement/html")
  public ResponseEntity<String> html(
      @AuthenticationPrincipal Jwt jwt,
      @RequestParam("account") String account,
      @RequestParam("month") String month,
      @RequestParam(name = "download", defaultValue = "false") boolean download) {
    Statement s = read(jwt, account, month);
    ResponseEntity.BodyBuilder b = ResponseEntity.ok().contentType(MediaType.TEXT_HTML);
    if (download) {
      b.header(HttpHeaders.CONTENT_DISPOSITION, attachment(account, month, "html"));
    }
    return b.body(HtmlStatement.render(s));
  }

  /** The statement's lines as CSV (RFC 4180, formula-safe). */
  @GetMapping("/statement/csv")
  public ResponseEntity<byte[]> csv(
      @AuthenticationPrincipal Jwt jwt,
      @RequestParam("account") String account,
      @RequestParam("month") String month) {
    Statement s = read(jwt, account, month);
    return ResponseEntity.ok()
        .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
        .header(HttpHeaders.CONTENT_DISPOSITION, attachment(account, month, "csv"))
        .body(
            CsvExport.statement(s, CsvExport.StatementTable.LINES)
                .getBytes(StandardCharsets.UTF_8));
  }

  private Statement read(Jwt jwt, String account, String month) {
    return billing
        .statements()
        .statement(
            TokenActors.tenant(jwt),
            AccountId.of(account),
            YearMonth.parse(month),
            TokenActors.actor(jwt));
  }

  private static String attachment(String account, String month, String extension) {
    return ContentDisposition.attachment()
        .filename("statement-" + account + "-" + month + "." + extension)
        .build()
        .toString();
  }

  /**
   * The accounts the licence selectors offer: the person's own, or the tenant's for finance and
   * admin. Only what is offered: the library decides what may be read.
   */
  static List<AccountId> visibleAccounts(Directory directory, Jwt jwt) {
    TenantId tenant = TokenActors.tenant(jwt);
    Set<Role> roles = TokenActors.roles(jwt);
    boolean staff = roles.contains(Role.ADMIN) || roles.contains(Role.FINANCE);
    return directory.holders(tenant).stream()
        .filter(p -> staff || p.id().equals(jwt.getSubject()))
        .map(p -> p.account().orElseThrow())
        .toList();
  }
}
