package dev.billingsdk.console.web;

import dev.billingsdk.console.DemoData;
import dev.billingsdk.console.security.TokenActors;
import dev.billingsdk.export.ReportCsv;
import dev.billingsdk.report.RevenueQuery;
import dev.billingsdk.setup.Billing;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A partner's own revenue: the partner revenue report read as the signed-in partner, which the
 * library narrows to the modules published for that partner (it refuses the report to people who
 * may not read reports). The console filters nothing itself.
 */
@Controller
public class PartnerPages {
  private final Billing billing;
  private final DemoData demo;

  public PartnerPages(Billing billing, DemoData demo) {
    this.billing = billing;
    this.demo = demo;
  }

  @GetMapping("/partner/revenue")
  public String revenue(
      @AuthenticationPrincipal Jwt jwt,
      @RequestParam(name = "month", required = false) String month,
      Model model) {
    YearMonth m = month(month);
    model.addAttribute("month", m.toString());
    model.addAttribute("rows", billing.revenue().partnerRevenue(query(jwt, m)));
    return "partner-revenue";
  }

  /** The same rows as billing-export's CSV. */
  @GetMapping("/partner/revenue/csv")
  public ResponseEntity<byte[]> csv(
      @AuthenticationPrincipal Jwt jwt, @RequestParam("month") String month) {
    YearMonth m = month(month);
    return ReportPages.csv(
        ReportCsv.partnerRevenue(billing.revenue().partnerRevenue(query(jwt, m))),
        "partner-revenue-" + jwt.getSubject() + "-" + m + ".csv");
  }

  private YearMonth month(String month) {
    return month == null || month.isBlank() ? demo.usageMonth() : YearMonth.parse(month);
  }

  private static RevenueQuery query(Jwt jwt, YearMonth month) {
    return RevenueQuery.builder(TokenActors.tenant(jwt), TokenActors.actor(jwt))
        .month(month)
        .zone(ZoneOffset.UTC)
        .rounding(RoundingMode.HALF_EVEN)
        .build();
  }
}
