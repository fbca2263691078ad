package dev.wavoice.call;

import dev.wavoice.CallId;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * One operator request for a business-initiated call, from the permission check to the placed call:
 * {@code AWAITING_PERMISSION} (the user was asked) → {@code DIALING} → {@code PLACED}, or it ends
 * {@code DECLINED} (the user said no), {@code EXPIRED} (no answer in time) or {@code FAILED} (Meta or
 * wavoice refused, with an error code and message). Thread-safe; every change is one transition.
 */
public final class OutboundCallRequest {

  public enum State { AWAITING_PERMISSION, DIALING, PLACED, DECLINED, EXPIRED, FAILED;

    boolean finished() {
      return this == PLACED || this == DECLINED || this == EXPIRED || this == FAILED;
    }
  }

  /** The request as the admin API shows it. */
  public record View(
      String requestId,
      String to,
      String state,
      Instant createdAt,
      Instant updatedAt,
      String permissionRequestMessageId,
      String callId,
      String error,
      String message) {}

  private final String id;
  private final String to;
  private final String bizOpaqueCallbackData;
  private final Instant createdAt;
  private final CompletableFuture<OutboundCallRequest> dialed = new CompletableFuture<>();

  private State state;
  private Instant updatedAt;
  private String permissionMessageId;
  private CallId callId;
  private OutboundCallRefused failure;
  private String message;

  OutboundCallRequest(String id, String to, String bizOpaqueCallbackData, Instant createdAt) {
    this.id = id;
    this.to = to;
    this.bizOpaqueCallbackData = bizOpaqueCallbackData;
    this.createdAt = createdAt;
    this.updatedAt = createdAt;
    this.state = State.DIALING;
  }

  public String id() {
    return id;
  }

  public String to() {
    return to;
  }

  String bizOpaqueCallbackData() {
    return bizOpaqueCallbackData;
  }

  public synchronized State state() {
    return state;
  }

  public synchronized String permissionMessageId() {
    return permissionMessageId;
  }

  /** Why it failed, when it did. */
  public synchronized OutboundCallRefused failure() {
    return failure;
  }

  /** Completes once a dial attempt has ended (PLACED or FAILED), or the request ended without one. */
  public CompletableFuture<OutboundCallRequest> dialed() {
    return dialed;
  }

  public synchronized View view() {
    return new View(id, to, state.name(), createdAt, updatedAt, permissionMessageId, callId == null ? null : callId.value(),
        failure == null ? null : failure.error(), failure == null ? message : failure.getMessage());
  }

  // ---- transitions

  synchronized void awaitingPermission(String messageId, Instant at) {
    state = State.AWAITING_PERMISSION;
    permissionMessageId = messageId;
    message = "waiting for the user's answer to the call permission request";
    updatedAt = at;
  }

  /** AWAITING_PERMISSION → DIALING; false when the request is no longer waiting (expired, answered). */
  synchronized boolean permissionGranted(Instant at) {
    if (state != State.AWAITING_PERMISSION) {
      return false;
    }
    state = State.DIALING;
    message = "the user granted call permission; dialing";
    updatedAt = at;
    return true;
  }

  synchronized boolean declined(String detail, Instant at) {
    return endWaiting(State.DECLINED, "permission_declined", detail, at);
  }

  synchronized boolean expired(String detail, Instant at) {
    return endWaiting(State.EXPIRED, "permission_expired", detail, at);
  }

  /** AWAITING_PERMISSION → {@code end} without a dial; false when the request is no longer waiting. */
  private boolean endWaiting(State end, String error, String detail, Instant at) {
    if (state != State.AWAITING_PERMISSION) {
      return false;
    }
    state = end;
    failure = new OutboundCallRefused(OutboundCallRefused.Kind.CONFLICT, error, detail);
    updatedAt = at;
    dialed.complete(this);
    return true;
  }

  synchronized void placed(CallId id, Instant at) {
    state = State.PLACED;
    callId = id;
    message = "the call was placed; follow it at /api/calls/" + id.value();
    updatedAt = at;
    dialed.complete(this);
  }

  synchronized void failed(OutboundCallRefused why, Instant at) {
    state = State.FAILED;
    failure = why;
    updatedAt = at;
    dialed.complete(this);
  }

  synchronized boolean finished() {
    return state.finished();
  }

  synchronized Instant updatedAt() {
    return updatedAt;
  }
}
