package dev.wavoice.ops;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Every admin request needs {@code Authorization: Bearer <token>} (the configured {@code wavoice.admin.token}
 * or the generated one, see {@link AdminToken}). A client (remote address) that sent too many wrong tokens
 * gets 429 with {@code Retry-After} for a while ({@link AdminThrottle}). With no token at all the admin API
 * is disabled: 403 for every request.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AdminAuthFilter implements ContainerRequestFilter {

  public static final String TOKEN = AdminToken.KEY;
  private static final Logger LOG = Logger.getLogger(AdminAuthFilter.class.getName());

  @Inject AdminToken token;
  @Inject AdminThrottle throttle;
  @Context HttpServletRequest servletRequest;

  @Override
  public void filter(ContainerRequestContext request) {
    String client = servletRequest.getRemoteAddr();
    Optional<Duration> wait = throttle.retryAfter(client);
    if (wait.isPresent()) {
      long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
      request.abortWith(Response.status(Response.Status.TOO_MANY_REQUESTS)
          .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
          .type(MediaType.APPLICATION_JSON)
          .entity(ApiErrors.body("too_many_requests", "too many wrong admin tokens from this address: try again in " + seconds + " s"))
          .build());
      return;
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
    switch (token.check(given)) {
      case DISABLED -> request.abortWith(error(Response.Status.FORBIDDEN, "the admin API is disabled: set " + TOKEN));
      case WRONG -> {
        if (given != null) {
          throttle.failed(client); // a guess; a request without a token guesses nothing
        }
        LOG.warning(() -> "admin API request refused: " + (given == null ? "no" : "wrong") + " bearer token");
        request.abortWith(Response.status(Response.Status.UNAUTHORIZED)
            .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"wavoice\"")
            .type(MediaType.APPLICATION_JSON)
            .entity(ApiErrors.body("unauthorized", "a valid bearer token is required"))
            .build());
      }
      case OK -> throttle.succeeded(client);
    }
  }

  private static Response error(Response.Status status, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(ApiErrors.body(status.name().toLowerCase(), message)).build();
  }
}
