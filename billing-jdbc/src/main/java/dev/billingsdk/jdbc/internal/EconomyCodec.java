package dev.billingsdk.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingsdk.economy.CreditPrice;
import dev.billingsdk.economy.EconomySettings;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.Percentage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;

/**
 * The credit economy settings as a JSON document. Amounts are {@link JsonCodec}'s, percentages
 * their plain decimal text (never a JSON number, which a reader may turn into a double), the
 * interval ISO 8601, the zone its id. Reading is strict: a field missing or of the wrong type is a
 * corrupt row, reported with the field, never a default.
 */
public final class EconomyCodec {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private EconomyCodec() {}

  public static String settings(EconomySettings s) {
    ObjectNode o = MAPPER.createObjectNode();
    o.set("priceCredits", JsonCodec.amountNode(s.creditPrice().credits()));
    o.set("priceMoney", JsonCodec.amountNode(s.creditPrice().money()));
    o.set("signUpCredits", JsonCodec.amountNode(s.signUpCredits()));
    o.set("referralCredits", JsonCodec.amountNode(s.referralCredits()));
    o.put("maxReferralsPerMonth", s.maxReferralsPerMonth());
    o.set("creditsPerHour", JsonCodec.amountNode(s.creditsPerHour()));
    o.put("refreshInterval", s.refreshInterval().toString());
    o.set("lowBalanceThreshold", JsonCodec.amountNode(s.lowBalanceThreshold()));
    o.put("agentRevenueShare", s.agentRevenueShare().value().toPlainString());
    o.put("partnerRevenueShare", s.partnerRevenueShare().value().toPlainString());
    o.put("dryRunMonthlyReset", s.dryRunMonthlyReset());
    o.put("dryRunPartnerPayouts", s.dryRunPartnerPayouts());
    o.put("subscriptionsEnabled", s.subscriptionsEnabled());
    o.put("calendarZone", s.calendarZone().getId());
    try {
      return MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write JSON", e);
    }
  }

  /**
   * The settings stored as {@code json}.
   *
   * @throws IllegalArgumentException if it is not a document {@link #settings(EconomySettings)}
   *     writes, or holds settings the domain refuses
   */
  public static EconomySettings settings(String json) {
    JsonNode o;
    try {
      o = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("stored economy settings are not well-formed JSON", e);
    }
    try {
      return new EconomySettings(
          CreditPrice.of(amount(o, "priceCredits"), amount(o, "priceMoney")),
          amount(o, "signUpCredits"),
          amount(o, "referralCredits"),
          integer(o, "maxReferralsPerMonth"),
          amount(o, "creditsPerHour"),
          Duration.parse(text(o, "refreshInterval")),
          amount(o, "lowBalanceThreshold"),
          new Percentage(new BigDecimal(text(o, "agentRevenueShare"))),
          new Percentage(new BigDecimal(text(o, "partnerRevenueShare"))),
          bool(o, "dryRunMonthlyReset"),
          bool(o, "dryRunPartnerPayouts"),
          bool(o, "subscriptionsEnabled"),
          ZoneId.of(text(o, "calendarZone")));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("stored economy settings: " + e.getMessage(), e);
    }
  }

  private static Amount amount(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException(field + " is missing or not an object");
    }
    return JsonCodec.amount(n.toString());
  }

  private static String text(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || !n.isTextual()) {
      throw new IllegalArgumentException(field + " is missing or not text");
    }
    return n.textValue();
  }

  private static int integer(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || !n.isInt()) {
      throw new IllegalArgumentException(field + " is missing or not an integer");
    }
    return n.intValue();
  }

  private static boolean bool(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || !n.isBoolean()) {
      throw new IllegalArgumentException(field + " is missing or not true or false");
    }
    return n.booleanValue();
  }
}
