package dev.wavoice.ops;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * {@code GET /api/events}: the console's live feed of call states and transcript lines (Server-Sent
 * Events); 503 when {@link ConsoleFeed#MAX_WATCHERS} already watch.
 */
@Path("events")
@RequestScoped
public class EventsResource {

  private ConsoleFeed feed;

  protected EventsResource() {}

  @Inject
  public EventsResource(ConsoleFeed feed) {
    this.feed = feed;
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void events(@Context SseEventSink sink, @Context Sse sse) {
    if (!feed.watch(sink, sse)) {
      throw new WebApplicationException(Response.status(Response.Status.SERVICE_UNAVAILABLE)
          .header(HttpHeaders.RETRY_AFTER, "30").type(MediaType.APPLICATION_JSON)
          .entity(ApiErrors.body("too_many_watchers", ConsoleFeed.MAX_WATCHERS + " consoles already watch: close one")).build());
    }
  }
}
