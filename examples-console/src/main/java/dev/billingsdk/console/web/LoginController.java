package dev.billingsdk.console.web;

import dev.billingsdk.Role;
import dev.billingsdk.console.Directory;
import dev.billingsdk.console.security.DemoTokens;
import dev.billingsdk.console.security.SecurityConfig;
import dev.billingsdk.console.security.TokenActors;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The demo sign-in: pick a person, get their token in an HTTP-only cookie. A real host signs in
 * through its identity provider and receives the same kind of token; nothing else changes.
 */
@Controller
public class LoginController {
  private final Directory directory;
  private final DemoTokens tokens;

  public LoginController(Directory directory, DemoTokens tokens) {
    this.directory = directory;
    this.tokens = tokens;
  }

  @GetMapping("/login")
  public String login(Model model) {
    model.addAttribute("people", directory.people());
    return "login";
  }

  @PostMapping("/login")
  public String signIn(@RequestParam("user") String user, HttpServletResponse response) {
    Directory.Person person =
        directory.find(user).orElseThrow(() -> new UnknownPersonException(user));
    ResponseCookie cookie =
        ResponseCookie.from(SecurityConfig.TOKEN_COOKIE, tokens.issue(person))
            .httpOnly(true)
            .sameSite("Lax")
            .path("/")
            .maxAge(DemoTokens.LIFETIME)
            .build();
    response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString());
    return "redirect:" + home(person.has(Role.ADMIN) || person.has(Role.FINANCE));
  }

  @PostMapping("/logout")
  public String signOut(HttpServletResponse response) {
    ResponseCookie cookie =
        ResponseCookie.from(SecurityConfig.TOKEN_COOKIE, "")
            .httpOnly(true)
            .sameSite("Lax")
            .path("/")
            .maxAge(Duration.ZERO)
            .build();
    response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString());
    return "redirect:/login";
  }

  @GetMapping("/")
  public String home(@AuthenticationPrincipal Jwt jwt) {
    var roles = TokenActors.roles(jwt);
    return "redirect:" + home(roles.contains(Role.ADMIN) || roles.contains(Role.FINANCE));
  }

  /**
   * Where a person starts: finance and admin on the Billing page, everyone else on their statement.
   */
  private static String home(boolean staff) {
    return staff ? "/billing/credit-management" : "/statement";
  }

  /** A sign-in for nobody in the directory. */
  static final class UnknownPersonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnknownPersonException(String user) {
      super("no demo person " + user);
    }
  }
}
