package dev.billingsdk.console.web;

import dev.billingsdk.Actor;
import dev.billingsdk.TenantId;
import dev.billingsdk.console.DemoData;
import dev.billingsdk.console.security.TokenActors;
import dev.billingsdk.export.ReportCsv;
import dev.billingsdk.report.PartnerModule;
import dev.billingsdk.report.ProjectCostQuery;
import dev.billingsdk.report.ProjectInvoice;
import dev.billingsdk.report.ProjectInvoiceRequest;
import dev.billingsdk.report.RevenueQuery;
import dev.billingsdk.setup.Billing;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Seed 000's Billing reports for finance and admin: Project Costs, Revenue Reports and Project
 * Invoices. Every row and total shown is the library's ({@code billing.projectCosts()}, {@code
 * billing.revenue()}), read as the signed-in person, and every download is billing-export's CSV of
 * those same values. Months are UTC calendar months, rounded half-even once per figure by the
 * library.
 */
@Controller
@RequestMapping("/billing")
public class ReportPages {
  /** The label the cloud export tags each project's module with. */
  static final String MODULE_LABEL = "module";

  private final Billing billing;
  private final DemoData demo;

  public ReportPages(Billing billing, DemoData demo) {
    this.billing = billing;
    this.demo = demo;
  }

  // ------------------------------------------------------------------ Project Costs

  /**
   * The cost rows whose usage starts from {@code from} (a UTC day, included) to {@code to} (a UTC
   * day, included), optionally of one module; by default the demo's month of usage.
   */
  @GetMapping("/project-costs")
  public String projectCosts(
      @AuthenticationPrincipal Jwt jwt,
      @RequestParam(name = "from", required = false) String from,
      @RequestParam(name = "to", required = false) String to,
      @RequestParam(name = "module", defaultValue = "") String module,
      Model model) {
    TenantId tenant = TokenActors.tenant(jwt);
    Actor actor = TokenActors.actor(jwt);
    YearMonth month = demo.usageMonth();
    LocalDate first = blank(from) ? month.atDay(1) : LocalDate.parse(from);
    LocalDate last = blank(to) ? month.atEndOfMonth() : LocalDate.parse(to);
    ProjectCostQuery query =
        ProjectCostQuery.between(tenant, startOf(first), startOf(last.plusDays(1)));
    if (!module.isBlank()) {
      query = query.withLabel(MODULE_LABEL, module);
    }
    model.addAttribute("from", first.toString());
    model.addAttribute("to", last.toString());
    model.addAttribute("module", module);
    model.addAttribute("modules", modules(tenant, actor));
    model.addAttribute("rows", billing.projectCosts().rows(query, actor));
    model.addAttribute("totals", billing.projectCosts().totals(query, actor));
    return "project-costs";
  }

  /** The modules the tenant has published, for the module filter. */
  private List<String> modules(TenantId tenant, Actor actor) {
    return billing.revenue().modules(tenant, actor).stream()
        .map(PartnerModule::module)
        .distinct()
        .sorted()
        .toList();
  }

  // ------------------------------------------------------------------ Revenue Reports

  @GetMapping("/revenue")
  public String revenue(
      @AuthenticationPrincipal Jwt jwt,
      @RequestParam(name = "month", required = false) String month,
      Model model) {
    YearMonth m = month(month);
    RevenueQuery query = revenueQuery(jwt, m);
    model.addAttribute("month", m.toString());
    model.addAttribute("trueRevenue", billing.revenue().trueRevenue(query));
    model.addAttribute("partnerRevenue", billing.revenue().partnerRevenue(query));
    model.addAttribute("agentRevenue", billing.revenue().agentRevenue(query));
    return "revenue";
  }

  /**
   * One of the three revenue reports of a month as CSV: {@code true}, {@code partner}, {@code
   * agent}.
   */
  @GetMapping("/revenue/csv")
  public ResponseEntity<byte[]> revenueCsv(
      @AuthenticationPrincipal Jwt jwt,
      @RequestParam("report") String report,
      @RequestParam("month") String month) {
    YearMonth m = month(month);
    RevenueQuery query = revenueQuery(jwt, m);
    String csv;
    if (report.equals("true")) {
      csv = ReportCsv.revenue(billing.revenue().trueRevenue(query));
    } else if (report.equals("partner")) {
      csv = ReportCsv.partnerRevenue(billing.revenue().partnerRevenue(query));
    } else if (report.equals("agent")) {
      csv = ReportCsv.agentRevenue(billing.revenue().agentRevenue(query));
    } else {
      throw new dev.billingsdk.InvalidRequestException(
          "report", report, "is not one of true, partner, agent");
    }
    return csv(csv, report + "-revenue-" + m + ".csv");
  }

  /** A month's revenue query as the signed-in person: UTC months, each figure rounded half-even. */
  RevenueQuery revenueQuery(Jwt jwt, YearMonth month) {
    return RevenueQuery.builder(TokenActors.tenant(jwt), TokenActors.actor(jwt))
        .month(month)
        .zone(ZoneOffset.UTC)
        .rounding(RoundingMode.HALF_EVEN)
        .build();
  }

  // ------------------------------------------------------------------ Project Invoices

  @GetMapping("/invoices")
  public String invoices(
      @AuthenticationPrincipal Jwt jwt,
      @RequestParam(name = "month", required = false) String month,
      Model model) {
    YearMonth m = month(month);
    model.addAttribute("month", m.toString());
    model.addAttribute("invoice", invoice(jwt, m));
    return "invoices";
  }

  /** The month's project invoice as billing-export's CSV. */
  @GetMapping("/invoices/csv")
  public ResponseEntity<byte[]> invoiceCsv(
      @AuthenticationPrincipal Jwt jwt, @RequestParam("month") String month) {
    YearMonth m = month(month);
    return csv(ReportCsv.projectInvoice(invoice(jwt, m)), "project-invoice-" + m + ".csv");
  }

  private ProjectInvoice invoice(Jwt jwt, YearMonth month) {
    return billing
        .projectCosts()
        .invoice(
            ProjectInvoiceRequest.of(
                TokenActors.tenant(jwt), month, RoundingMode.HALF_EVEN, TokenActors.actor(jwt)));
  }

  // ------------------------------------------------------------------

  private YearMonth month(String month) {
    return blank(month) ? demo.usageMonth() : YearMonth.parse(month);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static Instant startOf(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  static ResponseEntity<byte[]> csv(String body, String filename) {
    return ResponseEntity.ok()
        .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment().filename(filename).build().toString())
        .body(body.getBytes(StandardCharsets.UTF_8));
  }
}
