package dev.wavoice.testprobe;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.StringReader;

/** Test-only: {@code GET /test-probe/events} lists what {@link DispatchRecorder} saw. */
@Path("")
@RequestScoped
public class ProbeResource {

  @Inject DispatchRecorder recorder;

  @GET
  @Path("events")
  @Produces(MediaType.APPLICATION_JSON)
  public String events() {
    try {
      return eventsJson();
    } catch (RuntimeException e) {
      java.io.StringWriter trace = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(trace));
      throw new jakarta.ws.rs.WebApplicationException(
          jakarta.ws.rs.core.Response.serverError().type(MediaType.TEXT_PLAIN).entity(trace.toString()).build());
    }
  }

  private String eventsJson() {
    JsonArrayBuilder array = Json.createArrayBuilder();
    for (DispatchRecorder.Recorded event : recorder.events()) {
      try (var reader = Json.createReader(new StringReader(event.json()))) {
        array.add(Json.createObjectBuilder().add("kind", event.kind()).add("event", reader.readObject()));
      }
    }
    return array.build().toString();
  }
}
