package dev.billingsdk;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@link AccessPolicy#roleBased()}: who may do what, decided per operation once, when the class is
 * loaded, so that a check (one per charge) looks up a set instead of building one.
 */
final class RoleBasedPolicy implements AccessPolicy {
  static final RoleBasedPolicy INSTANCE = new RoleBasedPolicy();

  // By the operation's ordinal.
  private final List<Set<Role>> allowed = new ArrayList<>();

  private RoleBasedPolicy() {
    for (Operation operation : Operation.values()) {
      allowed.add(allowed(operation));
    }
  }

  private static Set<Role> allowed(Operation operation) {
    return switch (operation) {
      case OPEN_ACCOUNT,
              GRANT_CREDITS,
              VOID_GRANT,
              DEDUCT_CREDITS,
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
  }

  @Override
  public void check(Actor actor, Operation operation, TenantId tenant) {
    Set<Role> roles = allowed.get(operation.ordinal());
    for (Role r : actor.roles()) {
      if (roles.contains(r)) {
        return;
      }
    }
    throw new AccessDeniedException(actor, operation, tenant);
  }
}
