package dev.wavoice.ops;

import dev.wavoice.CallId;
import dev.wavoice.bridge.RecordingSettings;
import dev.wavoice.call.CallErasure;
import dev.wavoice.call.CallOrchestrator;
import dev.wavoice.call.OutboundCallRequest;
import dev.wavoice.call.OutboundCallRefused;
import dev.wavoice.call.CallRecordStore;
import dev.wavoice.call.CallView;
import dev.wavoice.call.OutboundCalls;
import dev.wavoice.cluster.HandOffs;
import dev.wavoice.cluster.LiveCalls;
import jakarta.json.Json;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls for operators: the live ones, records with transcripts, hang-up, and placing an outgoing call
 * (with Meta's call permission asked for first when needed). In a cluster the live calls and hang-up
 * are the whole cluster's: any member answers for all.
 */
@Path("")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class CallsResource {

  /** Body of {@code POST /api/calls}; {@code permissionRequestText} is the text of the permission request, if one is sent. */
  public record DialRequest(String to, String bizOpaqueCallbackData, String permissionRequestText) {}

  /** How long {@code POST /api/calls} waits for a call with permission to be placed before answering 202. */
  private static final Duration DIAL_WAIT = Duration.ofSeconds(30);

  private CallOrchestrator calls;
  private CallRecordStore records;
  private OutboundCalls outbound;
  private CallErasure erasure;
  private LiveCalls cluster;
  private HandOffs handOffs;

  protected CallsResource() {}

  /** The cluster's calls (clustered: the other members' calls too, and hang-ups handed to their holder). */
  @Inject
  void cluster(LiveCalls cluster, HandOffs handOffs) {
    this.cluster = cluster;
    this.handOffs = handOffs;
  }

  @Inject
  public CallsResource(CallOrchestrator calls, CallRecordStore records, OutboundCalls outbound, CallErasure erasure) {
    this.calls = calls;
    this.records = records;
    this.outbound = outbound;
    this.erasure = erasure;
  }

  @GET
  @Path("calls")
  public List<CallView> active() {
    List<CallView> all = new ArrayList<>(calls.active());
    all.addAll(cluster.elsewhere());
    return all;
  }

  @GET
  @Path("calls/{id}")
  public CallRecordView call(@PathParam("id") String id) {
    return records.find(new CallId(id))
        .map(r -> CallRecordView.of(r, true))
        .orElseThrow(() -> new NotFoundException("no call " + id));
  }

  /** The call's recording (Ogg/Opus: caller left, agent right); 404 when the call has none. */
  @GET
  @Path("calls/{id}/recording")
  @Produces({RecordingSettings.CONTENT_TYPE, MediaType.APPLICATION_JSON})
  public Response recording(@PathParam("id") String id) {
    java.nio.file.Path file = erasure.recording(new CallId(id))
        .orElseThrow(() -> new NotFoundException("no recording of call " + id));
    return Response.ok(file.toFile(), RecordingSettings.CONTENT_TYPE).build();
  }

  /** Erases a finished call: its record, transcript and recording. 204; 404 for an unknown call; 409 while it is live. */
  @DELETE
  @Path("calls/{id}")
  public Response erase(@PathParam("id") String id) {
    return switch (erasure.erase(new CallId(id))) {
      case ERASED -> Response.noContent().build();
      case NOT_FOUND -> error(Response.Status.NOT_FOUND, "not_found", "no call " + id);
      case LIVE -> error(Response.Status.CONFLICT, "call_live", "call " + id + " is live; hang it up first");
    };
  }

  @GET
  @Path("records")
  public List<CallRecordView> recent(@QueryParam("limit") @DefaultValue("50") int limit) {
    return records.recent(Math.max(1, Math.min(limit, 500))).stream().map(r -> CallRecordView.of(r, false)).toList();
  }

  @POST
  @Path("calls/{id}/hangup")
  public Response hangUp(@PathParam("id") String id) {
    if (!calls.hangUp(new CallId(id)) && !handOffs.hangUpElsewhere(new CallId(id))) {
      throw new NotFoundException("no live call " + id);
    }
    return Response.accepted().build();
  }

  /**
   * Places a business-initiated call, asking the user for call permission first when Meta says it is
   * missing. 201 with the placed call; 202 while the request waits for the user's answer (or the call is
   * still being placed) — follow it at {@code /api/calls/requests/{id}}; an error status when Meta's
   * answer rules the call out.
   */
  @POST
  @Path("calls")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response dial(DialRequest request) {
    if (request == null || request.to() == null || !request.to().replaceAll("[^0-9]", "").matches("\\d{6,15}")) {
      return error(Response.Status.BAD_REQUEST, "bad_request", "'to' must be the user's WhatsApp number (digits)");
    }
    if (request.bizOpaqueCallbackData() != null && request.bizOpaqueCallbackData().length() > 512) {
      return error(Response.Status.BAD_REQUEST, "bad_request", "'bizOpaqueCallbackData' must be at most 512 characters");
    }
    if (request.permissionRequestText() != null && request.permissionRequestText().length() > 1024) {
      return error(Response.Status.BAD_REQUEST, "bad_request", "'permissionRequestText' must be at most 1024 characters");
    }
    OutboundCallRequest call;
    try {
      call = outbound.submit(request.to(), request.bizOpaqueCallbackData(), request.permissionRequestText());
    } catch (OutboundCallRefused refused) {
      return error(status(refused.kind()), refused.error(), refused.getMessage());
    }
    if (call.state() == OutboundCallRequest.State.DIALING) {
      try {
        call.dialed().get(DIAL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillDialing) {
        // answered 202: the request tells the outcome later
      } catch (ExecutionException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    OutboundCallRequest.View view = call.view();
    return switch (call.state()) {
      case PLACED -> Response.created(URI.create("calls/" + view.callId())).entity(view).build();
      case FAILED, DECLINED, EXPIRED -> Response.status(status(call.failure().kind())).type(MediaType.APPLICATION_JSON)
          .entity(Json.createObjectBuilder().add("error", view.error()).add("message", view.message())
              .add("requestId", view.requestId()).build().toString())
          .build();
      default -> Response.accepted(view).location(URI.create("calls/requests/" + view.requestId())).build();
    };
  }

  @GET
  @Path("calls/requests")
  public List<OutboundCallRequest.View> requests() {
    return outbound.recent().stream().map(OutboundCallRequest::view).toList();
  }

  @GET
  @Path("calls/requests/{id}")
  public OutboundCallRequest.View request(@PathParam("id") String id) {
    return outbound.find(id).map(OutboundCallRequest::view).orElseThrow(() -> new NotFoundException("no call request " + id));
  }

  private static Response.Status status(OutboundCallRefused.Kind kind) {
    return switch (kind) {
      case CONFLICT, NOT_READY -> Response.Status.CONFLICT;
      case LIMIT, RATE_LIMITED -> Response.Status.TOO_MANY_REQUESTS;
      case GRAPH -> Response.Status.BAD_GATEWAY;
      case UNAVAILABLE -> Response.Status.SERVICE_UNAVAILABLE;
    };
  }

  private static Response error(Response.Status status, String error, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(ApiErrors.body(error, message)).build();
  }
}
