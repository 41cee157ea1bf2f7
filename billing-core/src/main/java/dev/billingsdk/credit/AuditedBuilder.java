package dev.billingsdk.credit;

import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import org.jspecify.annotations.Nullable;

/**
 * What the builder of every request that writes to the ledger has: the set-once record of its
 * setters ({@link SetOnce}) and the three fields that make the write auditable and safe to retry,
 * an idempotency key, an actor and a reason, all required. Package-private: a host sees the three
 * setters as public methods of each request's {@code Builder}, returning that builder.
 *
 * @param <B> the request's builder, which {@link #self()} returns so that calls chain
 */
abstract class AuditedBuilder<B extends AuditedBuilder<B>> {
  /** What the builder has been given: every setter, the subclass's too, goes through it. */
  final SetOnce set = new SetOnce();

  private @Nullable IdempotencyKey idempotencyKey;
  private @Nullable Actor actor;
  private @Nullable String reason;

  /** This builder as its own type. */
  abstract B self();

  /**
   * The key that makes the request idempotent: sent again with the same key, the request is done
   * once, and with the same key but other terms it is refused. Required.
   */
  public B idempotencyKey(IdempotencyKey idempotencyKey) {
    this.idempotencyKey =
        set.set(
            "idempotencyKey",
            InvalidRequestException.requireNonNull(idempotencyKey, "idempotencyKey"));
    return self();
  }

  /** Who asks: checked against the access policy and recorded on the transaction. Required. */
  public B actor(Actor actor) {
    this.actor = set.set("actor", InvalidRequestException.requireNonNull(actor, "actor"));
    return self();
  }

  /**
   * Why, in words, for the audit trail: non-blank text of at most {@value
   * dev.billingsdk.InputContract#MAX_REASON} characters. Required.
   */
  public B reason(String reason) {
    this.reason = set.set("reason", InvalidRequestException.requireText(reason, "reason"));
    return self();
  }

  /** The idempotency key, for {@code build()}; refuses it as missing if it was never set. */
  IdempotencyKey requiredIdempotencyKey() {
    return SetOnce.required(idempotencyKey, "idempotencyKey");
  }

  /** The actor, for {@code build()}; refuses it as missing if it was never set. */
  Actor requiredActor() {
    return SetOnce.required(actor, "actor");
  }

  /** The reason, for {@code build()}; refuses it as missing if it was never set. */
  String requiredReason() {
    return SetOnce.required(reason, "reason");
  }
}
