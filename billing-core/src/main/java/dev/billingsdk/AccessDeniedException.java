package dev.billingsdk;

/** The {@link AccessPolicy} refused an operation; nothing was written. */
public class AccessDeniedException extends BillingException {
  private static final long serialVersionUID = 1L;

  private final transient Actor actor;
  private final Operation operation;
  private final transient TenantId tenant;

  public AccessDeniedException(Actor actor, Operation operation, TenantId tenant) {
    super(actor + " may not " + operation + " in tenant " + tenant);
    this.actor = actor;
    this.operation = operation;
    this.tenant = tenant;
  }

  public Actor actor() {
    return actor;
  }

  public Operation operation() {
    return operation;
  }

  public TenantId tenant() {
    return tenant;
  }
}
