package dev.billingsdk;

import java.util.EnumSet;
import java.util.Set;

/**
 * Decides whether an actor may perform an operation in a tenant. The default, {@link #roleBased()},
 * follows the product documents: admins and finance manage accounts and credits; charges come from
 * admins, finance or the host's {@link Role#SYSTEM} jobs; admins and finance manage the catalogue
 * and refund purchases; anyone may start a purchase (the host checks the account is theirs).
 */
@FunctionalInterface
public interface AccessPolicy {

  /**
   * @throws AccessDeniedException if the actor may not perform the operation
   */
  void check(Actor actor, Operation operation, TenantId tenant);

  /** The default policy; see the type's description. */
  static AccessPolicy roleBased() {
    return (actor, operation, tenant) -> {
      Set<Role> allowed =
          switch (operation) {
            case OPEN_ACCOUNT,
                    GRANT_CREDITS,
                    VOID_GRANT,
                    REVERSE,
                    APPLY_INVOICE_CREDITS,
                    CONFIGURE_ALERTS,
                    DEFINE_METER,
                    MANAGE_CATALOGUE,
                    REFUND,
                    CONFIGURE_ECONOMY,
                    IMPORT_COSTS ->
                EnumSet.of(Role.ADMIN, Role.FINANCE);
            case CHARGE,
                    RESERVE,
                    SWEEP,
                    INGEST_USAGE,
                    RATE_USAGE,
                    AWARD_PROGRAM_CREDITS,
                    RESET_ALLOWANCES,
                    RENEW_SUBSCRIPTIONS,
                    RUN_TOP_UPS,
                    CLOSE_STATEMENTS,
                    RUN_PAYOUTS ->
                EnumSet.of(Role.ADMIN, Role.FINANCE, Role.SYSTEM);
            // Partners see their own modules' revenue only; the report service filters.
            case READ_REPORTS -> EnumSet.of(Role.ADMIN, Role.FINANCE, Role.PARTNER);
            // Buying is what end users do; the host checks that the account is theirs.
            case PURCHASE, SUBSCRIBE, CONFIGURE_TOP_UP -> EnumSet.allOf(Role.class);
            // Users see the accounts they hold only; the statement service filters.
            case READ_STATEMENTS -> EnumSet.of(Role.ADMIN, Role.FINANCE, Role.USER, Role.SYSTEM);
          };
      if (actor.roles().stream().noneMatch(allowed::contains)) {
        throw new AccessDeniedException(actor, operation, tenant);
      }
    };
  }

  /** Allows everything: for hosts that authorise before calling the library. */
  static AccessPolicy allowAll() {
    return (actor, operation, tenant) -> {};
  }
}
