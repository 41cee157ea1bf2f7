package dev.billingsdk.internal.metering;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billingsdk.Role;
import dev.billingsdk.money.Rational;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What the rating of one (account, meter) remembers between steps, kept as JSON in the rating
 * cursor: the lifetime exact cost and what has been posted of it (their difference is the carried
 * remainder), each open period's aggregates per price rule, the running instances, and a posting
 * that has been decided but not yet confirmed.
 */
final class RatingState {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Lifetime exact cost, in minor units of the account's unit. */
  Rational exact = Rational.ZERO;

  /**
   * Lifetime posted, in minor units: always {@code exact} rounded with the book's mode. Unbounded:
   * each posting must fit a long, their lifetime sum need not (at scale 12 a long is only about 9.2
   * million credits).
   */
  BigInteger posted = BigInteger.ZERO;

  final TreeMap<YearMonth, Period> periods = new TreeMap<>();
  final TreeMap<String, Instance> instances = new TreeMap<>();

  /** The posting decided and not yet confirmed, or null. */
  @Nullable Pending pending;

  static final class Period {
    BigDecimal allowanceUsed = BigDecimal.ZERO;
    final TreeMap<Integer, Rule> rules = new TreeMap<>();
  }

  static final class Rule {
    BigDecimal aggregate = BigDecimal.ZERO;
    BigDecimal drawn = BigDecimal.ZERO;

    /** The cost of the priced aggregate so far, in minor units. */
    Rational cost = Rational.ZERO;

    /** When the latest value was seen (for LATEST), or null before the first. */
    @Nullable Instant latestAt;

    long latestSequence;
    final TreeSet<String> values = new TreeSet<>();
  }

  /**
   * A running-time instance: its level from {@code lastSeen} (its newest event) on, billed until
   * {@code billedUntil}. Level 0 is a stopped instance, billed until its stop, kept until pruned.
   */
  static final class Instance {
    BigDecimal level = BigDecimal.ZERO;
    Instant billedUntil;
    Instant lastSeen;
    Map<String, String> dimensions = Map.of();

    Instance(Instant billedUntil, Instant lastSeen) {
      this.billedUntil = billedUntil;
      this.lastSeen = lastSeen;
    }
  }

  /** True when some instance is running (a stopped one is kept only as a marker). */
  boolean running() {
    return instances.values().stream().anyMatch(i -> i.level.signum() > 0);
  }

  /** A decided posting, confirmed by the next cursor step once the ledger has it. */
  record Pending(
      String key,
      long amount,
      Instant windowStart,
      Instant windowEnd,
      int events,
      String actor,
      Set<Role> roles,
      List<Line> lines) {}

  record Line(
      YearMonth period, Map<String, String> dimensions, BigDecimal quantity, long credits) {}

  static RatingState parse(String text) {
    RatingState s = new RatingState();
    if (text == null || text.isEmpty()) {
      return s;
    }
    try {
      JsonNode root = JSON.readTree(text);
      s.exact = Rational.parse(root.get("exact").asText());
      s.posted = root.get("posted").bigIntegerValue();
      for (Iterator<Map.Entry<String, JsonNode>> it = root.get("periods").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> pe = it.next();
        Period p = new Period();
        p.allowanceUsed = new BigDecimal(pe.getValue().get("allowanceUsed").asText());
        for (Iterator<Map.Entry<String, JsonNode>> rs = pe.getValue().get("rules").fields();
            rs.hasNext(); ) {
          Map.Entry<String, JsonNode> re = rs.next();
          JsonNode rn = re.getValue();
          Rule r = new Rule();
          r.aggregate = new BigDecimal(rn.get("aggregate").asText());
          r.drawn = new BigDecimal(rn.get("drawn").asText());
          r.cost = Rational.parse(rn.get("cost").asText());
          if (rn.hasNonNull("latestAt")) {
            r.latestAt = Instant.parse(rn.get("latestAt").asText());
            r.latestSequence = rn.get("latestSequence").asLong();
          }
          if (rn.has("values")) {
            rn.get("values").forEach(v -> r.values.add(v.asText()));
          }
          p.rules.put(Integer.parseInt(re.getKey()), r);
        }
        s.periods.put(YearMonth.parse(pe.getKey()), p);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = root.get("instances").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> ie = it.next();
        JsonNode in = ie.getValue();
        BigDecimal level = new BigDecimal(in.get("level").asText());
        Instance i =
            new Instance(
                Instant.parse(in.get("billedUntil").asText()),
                Instant.parse(in.get("lastSeen").asText()));
        i.level = level;
        i.dimensions = map(in.get("dimensions"));
        s.instances.put(ie.getKey(), i);
      }
      JsonNode pn = root.get("pending");
      if (pn != null && !pn.isNull()) {
        List<Line> lines = new ArrayList<>();
        for (JsonNode ln : pn.get("lines")) {
          lines.add(
              new Line(
                  YearMonth.parse(ln.get("period").asText()),
                  map(ln.get("dimensions")),
                  new BigDecimal(ln.get("quantity").asText()),
                  ln.get("credits").asLong()));
        }
        Set<Role> roles = new TreeSet<>();
        pn.get("roles").forEach(r -> roles.add(Role.valueOf(r.asText())));
        s.pending =
            new Pending(
                pn.get("key").asText(),
                pn.get("amount").asLong(),
                Instant.parse(pn.get("windowStart").asText()),
                Instant.parse(pn.get("windowEnd").asText()),
                pn.get("events").asInt(),
                pn.get("actor").asText(),
                Set.copyOf(roles),
                List.copyOf(lines));
      }
      return s;
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalStateException("rating cursor state is not readable: " + e.getMessage(), e);
    }
  }

  String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("exact", exact.toString());
    root.put("posted", posted);
    ObjectNode ps = root.putObject("periods");
    for (Map.Entry<YearMonth, Period> pe : periods.entrySet()) {
      ObjectNode pn = ps.putObject(pe.getKey().toString());
      pn.put("allowanceUsed", pe.getValue().allowanceUsed.toPlainString());
      ObjectNode rs = pn.putObject("rules");
      for (Map.Entry<Integer, Rule> re : pe.getValue().rules.entrySet()) {
        Rule r = re.getValue();
        ObjectNode rn = rs.putObject(Integer.toString(re.getKey()));
        rn.put("aggregate", r.aggregate.toPlainString());
        rn.put("drawn", r.drawn.toPlainString());
        rn.put("cost", r.cost.toString());
        if (r.latestAt != null) {
          rn.put("latestAt", r.latestAt.toString());
          rn.put("latestSequence", r.latestSequence);
        }
        if (!r.values.isEmpty()) {
          ArrayNode vs = rn.putArray("values");
          r.values.forEach(vs::add);
        }
      }
    }
    ObjectNode is = root.putObject("instances");
    for (Map.Entry<String, Instance> ie : instances.entrySet()) {
      Instance i = ie.getValue();
      ObjectNode in = is.putObject(ie.getKey());
      in.put("level", i.level.toPlainString());
      in.put("billedUntil", i.billedUntil.toString());
      in.put("lastSeen", i.lastSeen.toString());
      putMap(in.putObject("dimensions"), i.dimensions);
    }
    if (pending != null) {
      ObjectNode pn = root.putObject("pending");
      pn.put("key", pending.key());
      pn.put("amount", pending.amount());
      pn.put("windowStart", pending.windowStart().toString());
      pn.put("windowEnd", pending.windowEnd().toString());
      pn.put("events", pending.events());
      pn.put("actor", pending.actor());
      ArrayNode roles = pn.putArray("roles");
      new TreeSet<>(pending.roles()).forEach(r -> roles.add(r.name()));
      ArrayNode lines = pn.putArray("lines");
      for (Line l : pending.lines()) {
        ObjectNode ln = lines.addObject();
        ln.put("period", l.period().toString());
        putMap(ln.putObject("dimensions"), l.dimensions());
        ln.put("quantity", l.quantity().toPlainString());
        ln.put("credits", l.credits());
      }
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  RatingState copy() {
    return parse(toJson());
  }

  private static Map<String, String> map(JsonNode node) {
    Map<String, String> m = new TreeMap<>();
    node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  private static void putMap(ObjectNode node, Map<String, String> map) {
    new TreeMap<>(map).forEach(node::put);
  }
}
