package dev.wavoice.call;

import static dev.wavoice.PhoneNumbers.masked;

import dev.wavoice.CallId;
import dev.wavoice.whatsapp.CallPermissionReplyReceived;
import dev.wavoice.whatsapp.GraphApi;
import dev.wavoice.whatsapp.GraphApiException;
import dev.wavoice.whatsapp.GraphMessages.ActionLimit;
import dev.wavoice.whatsapp.GraphMessages.CallPermissions;
import dev.wavoice.whatsapp.GraphMessages.PermissionAction;
import dev.wavoice.whatsapp.InboundMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Business-initiated calls made complete: before dialing, Meta's {@code call_permissions} for the user
 * is read. With permission the call is placed at once; without, the interactive
 * {@code call_permission_request} message is sent and the call is placed when the user's
 * {@code call_permission_reply} accepts (matched by the request message's id, else by the user's wa id).
 * A declined or unanswered request places no call. Meta's limits — calls per user per 24 h, permission
 * requests per day and week, connected calls per 24 h, rate limits — come back as
 * {@link OutboundCallRefused} with a clear error code.
 */
public final class PermissionFirstDialer {

  private static final Logger LOG = Logger.getLogger(PermissionFirstDialer.class.getName());

  /** Places the call once permission is there ({@code CallOrchestrator::dial} in the app). */
  @FunctionalInterface
  public interface Dialer {
    CompletableFuture<CallId> dial(String to, String bizOpaqueCallbackData);
  }

  /**
   * @param replyTimeout how long a permission request may stay unanswered before the request expires
   * @param requestText the body of the permission request message when the operator gives none
   * @param maxKept how many requests are remembered (finished ones are forgotten first)
   */
  public record Settings(Duration replyTimeout, String requestText, int maxKept) {}

  private final GraphApi graph;
  private final Dialer dialer;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Settings settings;
  private final Map<String, OutboundCallRequest> requests = new LinkedHashMap<>();

  public PermissionFirstDialer(GraphApi graph, Dialer dialer, Clock clock, ScheduledExecutorService scheduler, Settings settings) {
    this.graph = graph;
    this.dialer = dialer;
    this.clock = clock;
    this.scheduler = scheduler;
    this.settings = settings;
  }

  /**
   * Starts a request: reads the permission, then dials or asks the user. Returns the request, DIALING
   * or AWAITING_PERMISSION.
   *
   * @throws OutboundCallRefused when Meta's answer already rules the call out (a limit, a pending request
   *     for the same user, a failed read or message)
   */
  public OutboundCallRequest submit(String to, String bizOpaqueCallbackData, String requestText) {
    String waId = to.replaceAll("[^0-9]", "");
    waiting(waId).ifPresent(pending -> {
      throw new OutboundCallRefused(OutboundCallRefused.Kind.CONFLICT, "permission_request_pending",
          "request " + pending.id() + " already waits for " + waId + "'s answer to a call permission request");
    });
    CallPermissions permissions;
    try {
      permissions = graph.callPermissions(waId);
    } catch (GraphApiException e) {
      throw OutboundCallRefused.of(e, "reading the call permission");
    }
    OutboundCallRequest request = new OutboundCallRequest("req-" + UUID.randomUUID(), waId, bizOpaqueCallbackData, clock.instant());
    if (permissions != null && permissions.canStartCall()) {
      keep(request);
      dial(request);
      return request;
    }
    String status = permissions == null || permissions.permission() == null ? null : permissions.permission().status();
    if (status != null && !"no_permission".equals(status)) {
      throw new OutboundCallRefused(OutboundCallRefused.Kind.LIMIT, "call_limit_reached",
          "the user granted call permission (" + status + "), but Meta allows no call to them now: "
              + limits(action(permissions, "start_call")));
    }
    PermissionAction ask = action(permissions, "send_call_permission_request");
    if (ask != null && !Boolean.TRUE.equals(ask.canPerformAction())) {
      throw new OutboundCallRefused(OutboundCallRefused.Kind.LIMIT, "permission_request_limit_reached",
          "the user has not granted call permission, and Meta allows no permission request to them now: " + limits(ask));
    }
    String messageId;
    try {
      messageId = graph.sendCallPermissionRequest(waId, requestText == null || requestText.isBlank()
          ? settings.requestText() : requestText);
    } catch (GraphApiException e) {
      throw OutboundCallRefused.of(e, "sending the call permission request");
    }
    request.awaitingPermission(messageId, clock.instant());
    keep(request);
    scheduler.schedule(() -> {
      if (request.expired("no answer to the call permission request within " + settings.replyTimeout().toSeconds() + " s",
          clock.instant())) {
        LOG.info(() -> "call request " + request.id() + " expired: " + masked(waId) + " did not answer the permission request");
      }
    }, settings.replyTimeout().toMillis(), TimeUnit.MILLISECONDS);
    LOG.info(() -> "call request " + request.id() + ": asked " + masked(waId) + " for call permission (message " + messageId + ")");
    return request;
  }

  /** The user answered a call permission request: dial if they accepted, else the request is declined. */
  public void onReply(CallPermissionReplyReceived event) {
    InboundMessage message = event.message();
    InboundMessage.CallPermissionReply reply = event.reply();
    String context = message.context() == null ? null : message.context().id();
    boolean automatic = "automatic".equalsIgnoreCase(reply.responseSource());
    Optional<OutboundCallRequest> match = byMessageId(context);
    if (match.isEmpty() && !automatic) {
      // the reply names the request message; without that, the user's one waiting request
      match = waiting(message.from());
    }
    if (match.isEmpty()) {
      LOG.info(() -> "call permission reply (" + reply.response() + ", " + reply.responseSource() + ") from " + masked(message.from())
          + " matches no waiting call request; ignored");
      return;
    }
    OutboundCallRequest request = match.get();
    Instant now = clock.instant();
    if (reply.accepted()) {
      if (request.permissionGranted(now)) {
        LOG.info(() -> "call request " + request.id() + ": " + masked(request.to()) + " granted call permission; dialing");
        dial(request);
      } else {
        LOG.info(() -> "call request " + request.id() + " is " + request.state() + "; the late permission reply is ignored");
      }
    } else if (request.declined("the user declined the call permission request", now)) {
      LOG.info(() -> "call request " + request.id() + ": " + masked(request.to()) + " declined call permission; no call");
    }
  }

  public synchronized Optional<OutboundCallRequest> find(String id) {
    return Optional.ofNullable(requests.get(id));
  }

  /** The requests remembered, newest first. */
  public synchronized List<OutboundCallRequest> recent() {
    List<OutboundCallRequest> all = new ArrayList<>(requests.values());
    java.util.Collections.reverse(all);
    return all;
  }

  private void dial(OutboundCallRequest request) {
    CompletableFuture<CallId> placed;
    try {
      placed = dialer.dial(request.to(), request.bizOpaqueCallbackData());
    } catch (RuntimeException e) {
      placed = CompletableFuture.failedFuture(e);
    }
    placed.whenComplete((callId, failure) -> {
      if (failure == null) {
        request.placed(callId, clock.instant());
        LOG.info(() -> "call request " + request.id() + ": call " + callId + " placed to " + masked(request.to()));
      } else {
        OutboundCallRefused why = refusal(failure);
        request.failed(why, clock.instant());
        LOG.info(() -> "call request " + request.id() + " failed: " + why.error() + ": " + why.getMessage());
      }
    });
  }

  private static OutboundCallRefused refusal(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof GraphApiException graph) {
      return OutboundCallRefused.of(graph, "placing the call");
    }
    if (t instanceof OutboundCallRefused refused) {
      return refused;
    }
    return new OutboundCallRefused(OutboundCallRefused.Kind.UNAVAILABLE, "not_placed",
        t.getMessage() == null ? t.toString() : t.getMessage());
  }

  private static PermissionAction action(CallPermissions permissions, String name) {
    if (permissions == null || permissions.actions() == null) {
      return null;
    }
    return permissions.actions().stream().filter(a -> name.equals(a.actionName())).findFirst().orElse(null);
  }

  /** The limits of an action that are used up, as "PT24H: 1 of 1 used, until 2026-...". */
  private static String limits(PermissionAction action) {
    if (action == null || action.limits() == null || action.limits().isEmpty()) {
      return "Meta gave no reason";
    }
    List<String> parts = new ArrayList<>();
    for (ActionLimit limit : action.limits()) {
      boolean used = limit.maxAllowed() != null && limit.currentUsage() != null && limit.currentUsage() >= limit.maxAllowed();
      if (used) {
        parts.add(action.actionName() + " " + limit.currentUsage() + " of " + limit.maxAllowed() + " per " + limit.timePeriod()
            + (limit.limitExpirationTime() == null ? "" : ", until " + Instant.ofEpochSecond(limit.limitExpirationTime())));
      }
    }
    return parts.isEmpty() ? action.actionName() + " is not allowed now (no limit reported as used up)" : String.join("; ", parts);
  }

  private synchronized void keep(OutboundCallRequest request) {
    requests.put(request.id(), request);
    if (requests.size() > settings.maxKept()) {
      requests.values().stream().filter(OutboundCallRequest::finished).min(Comparator.comparing(OutboundCallRequest::updatedAt))
          .ifPresent(oldest -> requests.remove(oldest.id()));
    }
  }

  private synchronized Optional<OutboundCallRequest> waiting(String waId) {
    return requests.values().stream()
        .filter(r -> r.to().equals(waId) && r.state() == OutboundCallRequest.State.AWAITING_PERMISSION)
        .findFirst();
  }

  private synchronized Optional<OutboundCallRequest> byMessageId(String messageId) {
    if (messageId == null) {
      return Optional.empty();
    }
    return requests.values().stream().filter(r -> messageId.equals(r.permissionMessageId())).findFirst();
  }
}
