package dev.wavoice.testprobe;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Test-only: a probe failure answers 500 with its stack trace, so a failing test shows why. */
@Provider
public class ProbeErrors implements ExceptionMapper<Throwable> {

  @Override
  public Response toResponse(Throwable failure) {
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    return Response.serverError().type(MediaType.TEXT_PLAIN).entity(trace.toString()).build();
  }
}
