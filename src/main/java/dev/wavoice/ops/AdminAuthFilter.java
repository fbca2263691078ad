package dev.wavoice.ops;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Every admin request needs {@code Authorization: Bearer <wavoice.admin.token>} (compared in constant
 * time). With no token configured the admin API is disabled: 403 for every request.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AdminAuthFilter implements ContainerRequestFilter {

  public static final String TOKEN = "wavoice.admin.token";
  private static final Logger LOG = Logger.getLogger(AdminAuthFilter.class.getName());

  @Inject Config config;

  @Override
  public void filter(ContainerRequestContext request) {
    Optional<String> token = config.getOptionalValue(TOKEN, String.class).map(String::strip).filter(s -> !s.isEmpty());
    if (token.isEmpty()) {
      request.abortWith(error(Response.Status.FORBIDDEN, "the admin API is disabled: set " + TOKEN));
      return;
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
    if (given == null || !MessageDigest.isEqual(
        token.get().getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
      LOG.warning(() -> "admin API request refused: " + (given == null ? "no" : "wrong") + " bearer token");
      request.abortWith(Response.status(Response.Status.UNAUTHORIZED)
          .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"wavoice\"")
          .type(MediaType.APPLICATION_JSON)
          .entity(ApiErrors.body("unauthorized", "a valid bearer token is required"))
          .build());
    }
  }

  private static Response error(Response.Status status, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(ApiErrors.body(status.name().toLowerCase(), message)).build();
  }
}
