package dev.billingsdk.console.web;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.console.Directory;
import dev.billingsdk.console.security.TokenActors;
import dev.billingsdk.purchase.CheckoutStarted;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.ReturnOutcome;
import dev.billingsdk.purchase.StartCheckoutRequest;
import dev.billingsdk.setup.Billing;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Buying a credit package: the person picks a package and a provider, the library starts the
 * provider's hosted checkout, and the provider sends the buyer back to {@code /buy/return/..},
 * where the library reads the payment from the provider's API and grants the credits once (the
 * webhook, if it comes first or later, does not grant them again).
 */
@Controller
public class BuyPages {
  private final Billing billing;
  private final Directory directory;

  public BuyPages(Billing billing, Directory directory) {
    this.billing = billing;
    this.directory = directory;
  }

  @GetMapping("/buy")
  public String buy(@AuthenticationPrincipal Jwt jwt, Model model) {
    TenantId tenant = TokenActors.tenant(jwt);
    model.addAttribute("packages", billing.catalogue().creditPackages(tenant));
    own(jwt).ifPresent(a -> model.addAttribute("balance", billing.credits().balance(tenant, a)));
    model.addAttribute("providers", List.of("stripe", "flutterwave"));
    return "buy";
  }

  @PostMapping("/buy")
  public String start(
      @AuthenticationPrincipal Jwt jwt,
      @RequestParam("package") String pkg,
      @RequestParam("provider") String provider) {
    TenantId tenant = TokenActors.tenant(jwt);
    Directory.Person me = directory.find(jwt.getSubject()).orElseThrow();
    AccountId account = me.account().orElseThrow(() -> new NoAccountException(me.id()));
    URI base = ServletUriComponentsBuilder.fromCurrentContextPath().build().toUri();
    CheckoutStarted started =
        billing
            .purchases()
            .startCheckout(
                StartCheckoutRequest.builder(
                        tenant,
                        account,
                        PurchaseId.of("buy-" + account.value() + "-" + UUID.randomUUID()))
                    .creditPackage(PackageId.of(pkg))
                    .provider(provider)
                    .successUrl(base.resolve("/buy/return/" + provider))
                    .cancelUrl(base.resolve("/buy"))
                    .customerEmail(me.email())
                    .actor(TokenActors.actor(jwt))
                    .build());
    return "redirect:" + started.redirectUrl();
  }

  @GetMapping("/buy/return/{provider}")
  public String returned(
      @AuthenticationPrincipal Jwt jwt,
      @PathVariable("provider") String provider,
      @RequestParam MultiValueMap<String, String> query,
      Model model) {
    Map<String, List<String>> q = new LinkedHashMap<>(query);
    ReturnOutcome outcome = billing.purchases().handleReturn(provider, q);
    TenantId tenant = TokenActors.tenant(jwt);
    model.addAttribute("effect", outcome.effect().name().toLowerCase(java.util.Locale.ROOT));
    model.addAttribute("purchase", outcome.purchase().orElse(null));
    own(jwt).ifPresent(a -> model.addAttribute("balance", billing.credits().balance(tenant, a)));
    return "bought";
  }

  private java.util.Optional<AccountId> own(Jwt jwt) {
    return directory.find(jwt.getSubject()).flatMap(Directory.Person::account);
  }

  /** A person without an account cannot buy credits for one. */
  static final class NoAccountException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NoAccountException(String person) {
      super(person + " holds no account");
    }
  }
}
