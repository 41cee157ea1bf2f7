package dev.billingsdk.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.billingsdk.AccountId;
import dev.billingsdk.console.security.DemoTokens;
import dev.billingsdk.money.Amount;
import dev.billingsdk.setup.Billing;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The administrative API with OAuth 2.0 bearer tokens (RFC 6750): every token that must be refused
 * is, with the status and {@code WWW-Authenticate} the RFC names, and nothing changes.
 */
class ApiSecurityTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ConsoleApp app;
  private static DemoTokens tokens;
  private static Directory directory;
  private static Billing billing;

  @BeforeAll
  static void start() {
    app = ConsoleApp.start("api-security");
    tokens = app.bean(DemoTokens.class);
    directory = app.bean(Directory.class);
    billing = app.bean(Billing.class);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static String token(String person) {
    return tokens.issue(directory.find(person).orElseThrow());
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(app.base.resolve(path)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> send(String method, String path, String token, String json)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(app.base.resolve(path))
            .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
            .header("Content-Type", "application/json")
            .header(
                "Idempotency-Key",
                "api-test-" + method + path.hashCode() + token.hashCode() + "-" + json.hashCode());
    b.header("Authorization", "Bearer " + token);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Amount ursula() {
    return billing.credits().balance(Directory.ACME, AccountId.of("ursula")).available();
  }

  private static void assertInvalidToken(HttpResponse<String> r) {
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElse(""))
        .startsWith("Bearer")
        .contains("error=\"invalid_token\"");
  }

  @Test
  void aMissingTokenIs401WithABareChallenge() throws Exception {
    HttpResponse<String> r = get("/api/accounts/ursula/statements/2026-11", null);
    assertThat(r.statusCode()).isEqualTo(401);
    // RFC 6750 3.1: a request without credentials gets the challenge without an error code
    // (Spring Security adds RFC 9728's resource_metadata parameter).
    assertThat(r.headers().firstValue("WWW-Authenticate").orElse(""))
        .startsWith("Bearer")
        .doesNotContain("error=");
  }

  @Test
  void anExpiredTokenIsRefused() throws Exception {
    Instant now = app.bean(Clock.class).instant();
    String expired =
        tokens.issue(
            directory.find("fiona").orElseThrow(),
            DemoTokens.ISSUER,
            DemoTokens.AUDIENCE,
            now.minus(Duration.ofHours(9)),
            Duration.ofHours(8));
    assertInvalidToken(get("/api/accounts/ursula/statements/2026-11", expired));
  }

  @Test
  void aTokenFromAnotherIssuerOrForAnotherAudienceIsRefused() throws Exception {
    Instant now = app.bean(Clock.class).instant();
    Directory.Person fiona = directory.find("fiona").orElseThrow();
    String issuer =
        tokens.issue(fiona, "https://evil.example/", DemoTokens.AUDIENCE, now, Duration.ofHours(1));
    String audience =
        tokens.issue(fiona, DemoTokens.ISSUER, "another-app", now, Duration.ofHours(1));
    assertInvalidToken(get("/api/accounts/ursula/statements/2026-11", issuer));
    assertInvalidToken(get("/api/accounts/ursula/statements/2026-11", audience));
  }

  @Test
  void aTamperedTokenOrOneSignedByAnotherKeyIsRefusedAndChangesNothing() throws Exception {
    Amount before = ursula();
    // Ursula's token, its payload rewritten to make her finance; the signature no longer matches.
    String[] parts = token("ursula").split("\\.");
    String payload =
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace("[\"user\"]", "[\"finance\"]");
    assertThat(payload).contains("finance");
    String tampered =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    DemoTokens forger = new DemoTokens(DemoTokens.newKeyPair(), app.bean(Clock.class));
    String forged = forger.issue(directory.find("fiona").orElseThrow());

    String grant = "{\"category\":\"PROMOTIONAL\",\"credits\":\"1000\",\"reason\":\"free money\"}";
    assertInvalidToken(send("POST", "/api/accounts/ursula/grants", tampered, grant));
    assertInvalidToken(send("POST", "/api/accounts/ursula/grants", forged, grant));
    assertThat(ursula()).isEqualTo(before);
  }

  @Test
  void aUserReadsTheirOwnAccountAndIsRefusedAnotherUsers() throws Exception {
    HttpResponse<String> own = get("/api/accounts/ursula/statements/2026-11", token("ursula"));
    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(own.body()).get("account").asText()).isEqualTo("ursula");

    HttpResponse<String> other = get("/api/accounts/victor/statements/2026-11", token("ursula"));
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.headers().firstValue("WWW-Authenticate").orElse(""))
        .contains("error=\"insufficient_scope\"");
    assertThat(other.body()).doesNotContain("closing");
  }

  @Test
  void aUserCannotAwardCreditsAndFinanceCan() throws Exception {
    Amount before = ursula();
    String grant = "{\"category\":\"PROMOTIONAL\",\"credits\":\"25\",\"reason\":\"goodwill\"}";
    HttpResponse<String> self = send("POST", "/api/accounts/ursula/grants", token("ursula"), grant);
    assertThat(self.statusCode()).isEqualTo(403);
    assertThat(self.headers().firstValue("WWW-Authenticate").orElse(""))
        .contains("insufficient_scope");
    assertThat(ursula()).isEqualTo(before);

    HttpResponse<String> finance =
        send("POST", "/api/accounts/ursula/grants", token("fiona"), grant);
    assertThat(finance.statusCode()).isEqualTo(200);
    assertThat(ursula()).isEqualTo(before.plus(Amount.of(DemoData.CREDIT, 25)));
  }

  @Test
  void aUserCannotDeductCreditsFinanceCanAndNeverMoreThanTheCategoryHolds() throws Exception {
    send(
        "POST",
        "/api/accounts/ursula/grants",
        token("fiona"),
        "{\"category\":\"PROMOTIONAL\",\"credits\":\"40\",\"reason\":\"to take back\"}");
    Amount before = ursula();
    Amount promo = promotional();
    String deduction =
        "{\"category\":\"PROMOTIONAL\",\"credits\":\"15\",\"reason\":\"awarded twice\"}";
    HttpResponse<String> self =
        send("POST", "/api/accounts/ursula/deductions", token("ursula"), deduction);
    assertThat(self.statusCode()).isEqualTo(403);
    assertThat(self.headers().firstValue("WWW-Authenticate").orElse(""))
        .contains("insufficient_scope");
    assertThat(ursula()).isEqualTo(before);

    HttpResponse<String> finance =
        send("POST", "/api/accounts/ursula/deductions", token("fiona"), deduction);
    assertThat(finance.statusCode()).as(finance.body()).isEqualTo(200);
    assertThat(JSON.readTree(finance.body()).get("deducted").asText()).isEqualTo("CREDIT 15.00");
    assertThat(ursula()).isEqualTo(before.minus(Amount.of(DemoData.CREDIT, 15)));
    assertThat(promotional()).isEqualTo(promo.minus(Amount.of(DemoData.CREDIT, 15)));

    Amount left = promotional();
    String tooMuch =
        "{\"category\":\"PROMOTIONAL\",\"credits\":\""
            + left.plus(Amount.of(DemoData.CREDIT, 1)).toDecimal().toPlainString()
            + "\",\"reason\":\"more than there is\"}";
    HttpResponse<String> refused =
        send("POST", "/api/accounts/ursula/deductions", token("fiona"), tooMuch);
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(refused.body()).get("available").asText()).isEqualTo(left.toString());
    assertThat(promotional()).isEqualTo(left);
  }

  private static Amount promotional() {
    return billing
        .credits()
        .balance(Directory.ACME, AccountId.of("ursula"))
        .available(dev.billingsdk.credit.GrantCategory.PROMOTIONAL);
  }

  @Test
  void aPartnerReadsItsOwnRevenueAndIsRefusedAnotherPartners() throws Exception {
    HttpResponse<String> own = get("/api/revenue/partners/pat?month=2026-11", token("pat"));
    assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
    JsonNode rows = JSON.readTree(own.body());
    assertThat(rows).isNotEmpty();
    assertThat(rows.get(0).get("module").asText()).isEqualTo("jupyter");

    HttpResponse<String> other = get("/api/revenue/partners/quinn?month=2026-11", token("pat"));
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.headers().firstValue("WWW-Authenticate").orElse(""))
        .contains("insufficient_scope");
    assertThat(other.body()).doesNotContain("rstudio");

    // Finance reads either.
    HttpResponse<String> finance = get("/api/revenue/partners/quinn?month=2026-11", token("fiona"));
    assertThat(JSON.readTree(finance.body()).get(0).get("module").asText()).isEqualTo("rstudio");
  }

  @Test
  void financeDoingAnAdminActionIsRefusedAndTheSettingsStay() throws Exception {
    int before = billing.economy().settings(Directory.ACME).orElseThrow().version();
    HttpResponse<String> r =
        send("PUT", "/api/admin/dry-run", token("fiona"), "{\"monthlyReset\":true}");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElse(""))
        .contains("error=\"insufficient_scope\"");
    assertThat(billing.economy().settings(Directory.ACME).orElseThrow().version())
        .isEqualTo(before);

    HttpResponse<String> admin =
        send("PUT", "/api/admin/dry-run", token("alice"), "{\"partnerPayouts\":true}");
    assertThat(admin.statusCode()).isEqualTo(200);
    assertThat(billing.economy().settings(Directory.ACME).orElseThrow().version())
        .isEqualTo(before + 1);
  }
}
