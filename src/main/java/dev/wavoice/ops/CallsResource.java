package dev.wavoice.ops;

import dev.wavoice.CallId;
import dev.wavoice.call.CallOrchestrator;
import dev.wavoice.call.CallRecordStore;
import dev.wavoice.call.CallView;
import dev.wavoice.whatsapp.GraphApiException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls for operators: the live ones, records with transcripts, hang-up, and placing an outgoing call.
 */
@Path("")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class CallsResource {

  /** Body of {@code POST /api/calls}. */
  public record DialRequest(String to, String bizOpaqueCallbackData) {}

  /** Reply of {@code POST /api/calls}. */
  public record DialReply(String callId) {}

  private CallOrchestrator calls;
  private CallRecordStore records;

  protected CallsResource() {}

  @Inject
  public CallsResource(CallOrchestrator calls, CallRecordStore records) {
    this.calls = calls;
    this.records = records;
  }

  @GET
  @Path("calls")
  public List<CallView> active() {
    return calls.active();
  }

  @GET
  @Path("calls/{id}")
  public CallRecordView call(@PathParam("id") String id) {
    return records.find(new CallId(id))
        .map(r -> CallRecordView.of(r, true))
        .orElseThrow(() -> new NotFoundException("no call " + id));
  }

  @GET
  @Path("records")
  public List<CallRecordView> recent(@QueryParam("limit") @DefaultValue("50") int limit) {
    return records.recent(Math.max(1, Math.min(limit, 500))).stream().map(r -> CallRecordView.of(r, false)).toList();
  }

  @POST
  @Path("calls/{id}/hangup")
  public Response hangUp(@PathParam("id") String id) {
    if (!calls.hangUp(new CallId(id))) {
      throw new NotFoundException("no live call " + id);
    }
    return Response.accepted().build();
  }

  @POST
  @Path("calls")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response dial(DialRequest request) {
    if (request == null || request.to() == null || !request.to().replaceAll("[^0-9]", "").matches("\\d{6,15}")) {
      return error(Response.Status.BAD_REQUEST, "bad_request", "'to' must be the user's WhatsApp number (digits)");
    }
    try {
      CallId id = calls.dial(request.to(), request.bizOpaqueCallbackData()).get(30, TimeUnit.SECONDS);
      return Response.status(Response.Status.CREATED).entity(new DialReply(id.value())).build();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof GraphApiException graph) {
        return switch (graph.kind()) {
          case NO_CALL_PERMISSION -> error(Response.Status.CONFLICT, "no_call_permission", graph.getMessage());
          case CALL_LIMIT_REACHED, RATE_LIMITED -> error(Response.Status.TOO_MANY_REQUESTS, "limit_reached", graph.getMessage());
          default -> error(Response.Status.BAD_GATEWAY, "graph_error", graph.getMessage());
        };
      }
      return error(Response.Status.SERVICE_UNAVAILABLE, "not_placed", cause == null ? e.getMessage() : cause.getMessage());
    } catch (TimeoutException e) {
      return error(Response.Status.GATEWAY_TIMEOUT, "timeout", "the call was not placed within 30 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return error(Response.Status.SERVICE_UNAVAILABLE, "interrupted", "interrupted");
    }
  }

  private static Response error(Response.Status status, String error, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(ApiErrors.body(error, message)).build();
  }
}
