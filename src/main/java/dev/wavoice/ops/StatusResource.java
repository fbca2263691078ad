package dev.wavoice.ops;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/status}: whether wavoice is ready for calls and, when not, what is missing — the
 * start-up summary's facts, for the console after sign-in. Behind the admin token because it names
 * internal addresses; unauthenticated readiness only names checks and missing settings.
 */
@Path("status")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

  private ReadinessFacts facts;

  protected StatusResource() {}

  @Inject
  public StatusResource(ReadinessFacts facts) {
    this.facts = facts;
  }

  @GET
  public ReadinessFacts.Status status() {
    return facts.now();
  }
}
