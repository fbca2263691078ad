package dev.wavoice.ops;

import dev.wavoice.whatsapp.GraphApiException;
import dev.wavoice.whatsapp.Prerequisite;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.util.List;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Every admin API error is {@code {"error": "...", "message": "..."}}; unexpected ones are logged, never leaked. */
@Provider
public class ApiErrors implements ExceptionMapper<Throwable> {

  private static final Logger LOG = Logger.getLogger(ApiErrors.class.getName());

  static String body(String error, String message) {
    return Json.createObjectBuilder().add("error", error).add("message", message == null ? "" : message).build().toString();
  }

  static Response response(Response.Status status, String error, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body(error, message)).build();
  }

  /** 400 naming every problem: {@code {"error", "message", "problems": [...]}}. */
  static Response invalid(String error, List<String> problems) {
    JsonObjectBuilder body = Json.createObjectBuilder().add("error", error).add("message", String.join("; ", problems))
        .add("problems", Json.createArrayBuilder(problems));
    return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON).entity(body.build().toString()).build();
  }

  /**
   * Meta refused something: 409 {@code prerequisite_missing} when its code names a prerequisite (with the
   * doctor check to look at), 429 {@code rate_limited} when throttled, else 502 {@code graph_error}.
   */
  static Response graph(GraphApiException e) {
    return Prerequisite.ofCode(e.code())
        .map(p -> response(Response.Status.CONFLICT, "prerequisite_missing", p.explanation() + " (Meta error " + p.code()
            + "; see check " + p.checkId() + " in GET /api/doctor): " + e.getMessage()))
        .orElseGet(() -> switch (e.kind()) {
          case RATE_LIMITED -> response(Response.Status.TOO_MANY_REQUESTS, "rate_limited", e.getMessage());
          default -> response(Response.Status.BAD_GATEWAY, "graph_error", e.getMessage());
        });
  }

  @Override
  public Response toResponse(Throwable failure) {
    if (failure instanceof WebApplicationException web) {
      Response response = web.getResponse();
      if (response.hasEntity()) {
        return response;
      }
      int status = response.getStatus();
      return Response.status(status).type(MediaType.APPLICATION_JSON)
          .entity(body(Response.Status.fromStatusCode(status) == null ? "error" : Response.Status.fromStatusCode(status).name().toLowerCase(),
              web.getMessage()))
          .build();
    }
    LOG.log(Level.SEVERE, "admin API request failed", failure);
    return Response.serverError().type(MediaType.APPLICATION_JSON).entity(body("internal_error", "see the server log")).build();
  }
}
