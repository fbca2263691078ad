package dev.wavoice.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Checks an operator's token against {@code wavoice.admin.token} in constant time. Used by the admin API's
 * filter (bearer header) and by the softphone's signalling (first message: browsers cannot set headers on
 * a WebSocket).
 */
public final class AdminToken {

  public static final String KEY = "wavoice.admin.token";

  /** The outcome of a check. */
  public enum Check {
    OK,
    /** No token is configured: admin functions are off. */
    DISABLED,
    /** Missing or not the configured token. */
    WRONG
  }

  private AdminToken() {}

  public static Check check(Config config, String given) {
    Optional<String> token = config.getOptionalValue(KEY, String.class).map(String::strip).filter(s -> !s.isEmpty());
    if (token.isEmpty()) {
      return Check.DISABLED;
    }
    if (given == null || !MessageDigest.isEqual(
        token.get().getBytes(StandardCharsets.UTF_8), given.strip().getBytes(StandardCharsets.UTF_8))) {
      return Check.WRONG;
    }
    return Check.OK;
  }
}
