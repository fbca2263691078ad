package dev.wavoice.ops;

import jakarta.json.Json;
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
