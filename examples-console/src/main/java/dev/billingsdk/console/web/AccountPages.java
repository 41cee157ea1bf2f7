package dev.billingsdk.console.web;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.console.DemoData;
import dev.billingsdk.console.Directory;
import dev.billingsdk.console.security.TokenActors;
import dev.billingsdk.ledger.TransactionPage;
import dev.billingsdk.money.Amount;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.statement.BalancePage;
import dev.billingsdk.statement.BalanceQuery;
import dev.billingsdk.statement.BalanceRow;
import dev.billingsdk.statement.TransactionQuery;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Seed 002's transactions panel and account-balances table, beside the statement. A person sees the
 * accounts they hold; finance and admin see the tenant's. The library decides: naming another
 * person's account is refused by its access policy, and without a licence chosen a user's query is
 * always of their own accounts.
 */
@Controller
public class AccountPages {
  /** The presets of the transactions panel, as the library names them. */
  static final List<String> PRESETS = List.of("24h", "7d", "30d");

  /** What a {@code datetime-local} field holds (UTC here). */
  static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

  private final Billing billing;
  private final Directory directory;
  private final DemoData demo;

  public AccountPages(Billing billing, Directory directory, DemoData demo) {
    this.billing = billing;
    this.directory = directory;
    this.demo = demo;
  }

  // ------------------------------------------------------------------ Transactions

  /**
   * The transactions of the chosen licence (or of every licence the person may see), newest first,
   * in a preset (the last 24 hours, 7 or 30 days, counted back from the console's clock by the
   * library) or a range {@code [from, until)} of UTC times; 50 a page.
   */
  @GetMapping("/transactions")
  public String transactions(
      @AuthenticationPrincipal Jwt jwt,
      @RequestParam(name = "account", defaultValue = "") String account,
      @RequestParam(name = "preset", defaultValue = "") String preset,
      @RequestParam(name = "from", defaultValue = "") String from,
      @RequestParam(name = "until", defaultValue = "") String until,
      @RequestParam(name = "cursor", defaultValue = "") String cursor,
      Model model) {
    TransactionQuery.Builder q =
        TransactionQuery.builder(TokenActors.tenant(jwt), TokenActors.actor(jwt));
    if (!account.isBlank()) {
      q.account(AccountId.of(account));
    }
    if (preset.equals("24h")) {
      q.last24Hours();
    } else if (preset.equals("7d")) {
      q.last7Days();
    } else if (preset.equals("30d")) {
      q.last30Days();
    } else if (!preset.isBlank()) {
      throw new dev.billingsdk.InvalidRequestException(
          "preset", preset, "is not one of " + PRESETS);
    } else if (!from.isBlank() || !until.isBlank()) {
      q.between(
          from.isBlank() ? Instant.EPOCH : utc(from),
          until.isBlank() ? Instant.parse("9999-01-01T00:00:00Z") : utc(until));
    }
    if (!cursor.isBlank()) {
      q.cursor(cursor);
    }
    TransactionPage page = billing.statements().transactions(q.build());
    model.addAttribute("accounts", StatementPages.visibleAccounts(directory, jwt));
    model.addAttribute("account", account);
    model.addAttribute("preset", preset);
    model.addAttribute("presets", PRESETS);
    model.addAttribute("from", from);
    model.addAttribute("until", until);
    model.addAttribute("page", page);
    model.addAttribute("next", page.next().orElse(null));
    return "transactions";
  }

  private static Instant utc(String local) {
    return LocalDateTime.parse(local).toInstant(ZoneOffset.UTC);
  }

  /**
   * UTC instants as {@code datetime-local} values (the balances rows' shortcut to transactions).
   */
  public static final class Utc {
    public String local(Instant instant) {
      return LOCAL.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
  }

  // ------------------------------------------------------------------ Balances

  /**
   * Per licence and month from {@code from} to {@code to}: start, credits, charges, expired and
   * ending balance, the library's statement figures; by default the demo's month of usage and the
   * month after it.
   */
  @GetMapping("/balances")
  public String balances(
      @AuthenticationPrincipal Jwt jwt,
      @RequestParam(name = "account", defaultValue = "") String account,
      @RequestParam(name = "from", defaultValue = "") String from,
      @RequestParam(name = "to", defaultValue = "") String to,
      @RequestParam(name = "after", defaultValue = "") String after,
      Model model) {
    YearMonth first = from.isBlank() ? demo.usageMonth() : YearMonth.parse(from);
    YearMonth last = to.isBlank() ? demo.usageMonth().plusMonths(1) : YearMonth.parse(to);
    BalancePage page = balancePage(jwt, account, first, last, after);
    model.addAttribute("accounts", StatementPages.visibleAccounts(directory, jwt));
    model.addAttribute("account", account);
    model.addAttribute("from", first.toString());
    model.addAttribute("to", last.toString());
    model.addAttribute("rows", page.rows());
    model.addAttribute("next", page.next().map(AccountId::value).orElse(null));
    model.addAttribute("utc", new Utc());
    return "balances";
  }

  /** The same rows as CSV: each cell one of the library's {@link BalanceRow} values. */
  @GetMapping("/balances/csv")
  public ResponseEntity<byte[]> balancesCsv(
      @AuthenticationPrincipal Jwt jwt,
      @RequestParam(name = "account", defaultValue = "") String account,
      @RequestParam("from") String from,
      @RequestParam("to") String to) {
    YearMonth first = YearMonth.parse(from);
    YearMonth last = YearMonth.parse(to);
    StringBuilder csv =
        new StringBuilder(
            "account,month,status,start,credits,charges,expired,ending,unit,"
                + "transactions_from,transactions_until\r\n");
    String after = "";
    do {
      BalancePage page = balancePage(jwt, account, first, last, after);
      for (BalanceRow r : page.rows()) {
        csv.append(cell(r.account().value()))
            .append(',')
            .append(r.month())
            .append(',')
            .append(r.status().name())
            .append(',')
            .append(decimal(r.start()))
            .append(',')
            .append(decimal(r.credits()))
            .append(',')
            .append(decimal(r.charges()))
            .append(',')
            .append(decimal(r.expired()))
            .append(',')
            .append(decimal(r.ending()))
            .append(',')
            .append(cell(r.ending().unit().code()))
            .append(',')
            .append(r.transactionsFrom())
            .append(',')
            .append(r.transactionsUntil())
            .append("\r\n");
      }
      after = page.next().map(AccountId::value).orElse("");
    } while (!after.isEmpty());
    String name = "balances-" + (account.isBlank() ? "all" : account) + "-" + first + "-" + last;
    return ReportPages.csv(csv.toString(), name + ".csv");
  }

  private BalancePage balancePage(
      Jwt jwt, String account, YearMonth from, YearMonth to, String after) {
    TenantId tenant = TokenActors.tenant(jwt);
    BalanceQuery.Builder q = BalanceQuery.builder(tenant, TokenActors.actor(jwt), from, to);
    if (!account.isBlank()) {
      q.account(AccountId.of(account));
    }
    if (!after.isBlank()) {
      q.after(AccountId.of(after));
    }
    return billing.statements().balances(q.build());
  }

  private static String decimal(Amount amount) {
    return amount.toDecimal().toPlainString();
  }

  /**
   * A text cell (RFC 4180): quoted when it holds a comma, quote or line break, and neutralised with
   * a leading quote when a spreadsheet would run it as a formula.
   */
  static String cell(String value) {
    String v = value;
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
      v = "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }
}
