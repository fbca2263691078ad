package dev.wavoice.ops;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/** {@code GET /api/events}: the console's live feed of call states and transcript lines (Server-Sent Events). */
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
    feed.watch(sink, sse);
  }
}
