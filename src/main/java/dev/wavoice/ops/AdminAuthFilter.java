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
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Every admin request needs {@code Authorization: Bearer <wavoice.admin.token>} (compared in constant
 * time). With no token configured the admin API is disabled: 403 for every request.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AdminAuthFilter implements ContainerRequestFilter {

  public static final String TOKEN = AdminToken.KEY;
  private static final Logger LOG = Logger.getLogger(AdminAuthFilter.class.getName());

  @Inject Config config;

  @Override
  public void filter(ContainerRequestContext request) {
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
    switch (AdminToken.check(config, given)) {
      case DISABLED -> request.abortWith(error(Response.Status.FORBIDDEN, "the admin API is disabled: set " + TOKEN));
      case WRONG -> {
        LOG.warning(() -> "admin API request refused: " + (given == null ? "no" : "wrong") + " bearer token");
        request.abortWith(Response.status(Response.Status.UNAUTHORIZED)
            .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"wavoice\"")
            .type(MediaType.APPLICATION_JSON)
            .entity(ApiErrors.body("unauthorized", "a valid bearer token is required"))
            .build());
      }
      case OK -> { }
    }
  }

  private static Response error(Response.Status status, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(ApiErrors.body(status.name().toLowerCase(), message)).build();
  }
}
