package dev.billingsdk.console;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The host's own user directory, which the library does not keep: who the demo people are, their
 * e-mail, roles, tenant and the account they hold. A real host reads this from its users table.
 */
@org.springframework.stereotype.Component
public final class Directory {

  /** One person. {@code account} is the billing account they hold, if any. */
  public record Person(
      String id,
      String name,
      String email,
      TenantId tenant,
      Set<Role> roles,
      Optional<AccountId> account) {

    /** The actor this person acts as in the library. */
    public Actor actor() {
      Role first = roles.iterator().next();
      Role[] rest = roles.stream().skip(1).toArray(Role[]::new);
      return Actor.of(id, first, rest);
    }

    public boolean has(Role role) {
      return roles.contains(role);
    }
  }

  public static final TenantId ACME = TenantId.of("acme");
  public static final TenantId GLOBEX = TenantId.of("globex");

  private final List<Person> people =
      List.of(
          person("alice", "Alice Admin", ACME, EnumSet.of(Role.ADMIN), null),
          person("fiona", "Fiona Finance", ACME, EnumSet.of(Role.FINANCE), null),
          person("pat", "Pat Partner", ACME, EnumSet.of(Role.PARTNER, Role.USER), "pat"),
          person("quinn", "Quinn Partner", ACME, EnumSet.of(Role.PARTNER, Role.USER), "quinn"),
          person("ursula", "Ursula User", ACME, EnumSet.of(Role.USER), "ursula"),
          person("victor", "Victor User", ACME, EnumSet.of(Role.USER), "victor"),
          person("wanda", "Wanda User", ACME, EnumSet.of(Role.USER), "wanda"),
          person("gary", "Gary Globex", GLOBEX, EnumSet.of(Role.FINANCE), null),
          person("gina", "Gina Globex", GLOBEX, EnumSet.of(Role.USER), "gina"));

  private static Person person(
      String id, String name, TenantId tenant, Set<Role> roles, String account) {
    return new Person(
        id,
        name,
        id + "@" + tenant.value() + ".example",
        tenant,
        Set.copyOf(roles),
        Optional.ofNullable(account).map(AccountId::of));
  }

  public List<Person> people() {
    return people;
  }

  public Optional<Person> find(String id) {
    return people.stream().filter(p -> p.id().equals(id)).findFirst();
  }

  /** The tenant's people whose e-mail contains {@code text}, ignoring case. */
  public List<Person> search(TenantId tenant, String text) {
    String needle = text.strip().toLowerCase(Locale.ROOT);
    return people.stream()
        .filter(p -> p.tenant().equals(tenant))
        .filter(p -> needle.isEmpty() || p.email().toLowerCase(Locale.ROOT).contains(needle))
        .toList();
  }

  /** The tenant's people who hold an account. */
  public List<Person> holders(TenantId tenant) {
    return people.stream()
        .filter(p -> p.tenant().equals(tenant) && p.account().isPresent())
        .toList();
  }

  /** Who holds {@code account} in {@code tenant}. */
  public Optional<Person> holder(TenantId tenant, AccountId account) {
    return people.stream()
        .filter(p -> p.tenant().equals(tenant) && p.account().equals(Optional.of(account)))
        .findFirst();
  }
}
