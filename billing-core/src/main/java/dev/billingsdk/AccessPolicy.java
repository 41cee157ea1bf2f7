package dev.billingsdk;

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
    return RoleBasedPolicy.INSTANCE;
  }

  /** Allows everything: for hosts that authorise before calling the library. */
  static AccessPolicy allowAll() {
    return (actor, operation, tenant) -> {};
  }
}
