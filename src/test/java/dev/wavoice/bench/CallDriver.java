package dev.wavoice.bench;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.whatsapp.GraphRequest;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Plays Meta for load runs: sends each call's signed {@code connect} webhook, sees the app's
 * {@code pre_accept} and {@code accept} arrive at the WhatsApp double, sends {@code terminate}, and reads
 * each call's record from the admin API. Times are monotonic nanoseconds of this machine, comparable
 * with the KMS double's arrival times.
 */
final class CallDriver {

  /** A real caller's SDP offer, and where the app's answer goes once it reaches Meta in {@code pre_accept}. */
  record Offer(String sdp, Consumer<String> answer) {}

  /** One simulated call and what was seen of it. */
  static final class Call {
    final String id;
    final Offer offer;
    volatile long connectSentNanos;
    volatile long ackNanos;
    volatile int ackStatus;
    volatile long preAcceptNanos;
    volatile long acceptNanos;
    volatile long firstBotAudioNanos;
    volatile JsonObject record;

    Call(String id, Offer offer) {
      this.id = id;
      this.offer = offer;
    }
  }

  private final LoadStack stack;
  private final Map<String, Call> calls = new ConcurrentHashMap<>();

  CallDriver(LoadStack stack) {
    this.stack = stack;
    stack.whatsapp.observeRequests(this::seen);
  }

  private void seen(GraphRequest request) {
    long now = System.nanoTime();
    String callId = request.callId();
    Call call = callId == null ? null : calls.get(callId);
    if (call == null || request.status() / 100 != 2) {
      return;
    }
    if ("pre_accept".equals(request.action())) {
      call.preAcceptNanos = now;
      if (call.offer != null) {
        call.offer.answer().accept(request.sdp()); // the caller takes it from here, as WhatsApp's side would
      }
    } else if ("accept".equals(request.action())) {
      call.acceptNanos = now;
    }
  }

  /**
   * Sends {@code count} connect webhooks, one every {@code spacingMs} (calls arrive over time, as
   * they do), each from its own thread, and waits for their acknowledgements.
   */
  List<Call> connect(int count, long spacingMs) throws Exception {
    return connect(count, spacingMs, i -> null);
  }

  /**
   * As {@link #connect(int, long)}, the {@code i}-th call carrying {@code offers.apply(i)} (a real caller's
   * offer) instead of the fixture's when that is not null.
   */
  List<Call> connect(int count, long spacingMs, IntFunction<Offer> offers) throws Exception {
    List<Call> started = new ArrayList<>();
    List<Future<?>> sends = new ArrayList<>();
    try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
      long next = System.nanoTime();
      for (int i = 0; i < count; i++) {
        long wait;
        while ((wait = next - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait); // a load generator's schedule, not a wait for a condition
        }
        next += spacingMs * 1_000_000L;
        Call call = new Call("wacid.LOAD" + UUID.randomUUID().toString().replace("-", ""), offers.apply(i));
        calls.put(call.id, call);
        started.add(call);
        String body = call.offer == null ? Fixtures.withCallId("webhook-connect-user-initiated.json", call.id)
            : Fixtures.connectWithOffer(call.id, call.offer.sdp());
        sends.add(senders.submit(() -> {
          call.connectSentNanos = System.nanoTime();
          HttpResponse<String> ack = stack.webhooks.send(body);
          call.ackNanos = System.nanoTime();
          call.ackStatus = ack.statusCode();
        }));
      }
      for (Future<?> send : sends) {
        send.get();
      }
    }
    return started;
  }

  /** Waits until every call was accepted (the {@code accept} reached Meta's double). */
  void awaitAccepted(List<Call> batch, Duration deadline) {
    Await.until(deadline, "accept of all " + batch.size() + " calls", () -> batch.stream().allMatch(c -> c.acceptNanos != 0));
  }

  /** Records each call's first bot audio at the KMS double (from its arrival times). */
  void collectFirstBotAudio() {
    stack.firstBotAudio().forEach((id, nanos) -> {
      Call call = calls.get(id);
      // the KMS double reports each call's first audible frame since the last ask: only the first ask's is the greeting's
      if (call != null && call.firstBotAudioNanos == 0) {
        call.firstBotAudioNanos = nanos;
      }
    });
  }

  /** Meta ends every call ({@code terminate} webhook, the user hung up), from parallel threads. */
  void terminate(List<Call> batch) throws Exception {
    List<Future<?>> sends = new ArrayList<>();
    try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Call call : batch) {
        String body = Fixtures.withCallId("webhook-terminate-completed.json", call.id);
        sends.add(senders.submit(() -> {
          int status = stack.webhooks.send(body).statusCode();
          if (status != 200) {
            throw new IllegalStateException("terminate of " + call.id + " answered " + status);
          }
        }));
      }
      for (Future<?> send : sends) {
        send.get();
      }
    }
  }

  /** Waits until every call has its final record (outcome no longer {@code IN_PROGRESS}) and keeps it. */
  void awaitRecords(List<Call> batch, Duration deadline) {
    Await.until(deadline, "the records of all " + batch.size() + " calls", () -> {
      for (Call call : batch) {
        if (call.record == null) {
          HttpResponse<String> response = stack.admin.get("/api/calls/" + call.id);
          if (response.statusCode() != 200) {
            return false;
          }
          JsonObject record = Fixtures.parse(response.body());
          if (record.getString("outcome").equals("IN_PROGRESS")) {
            return false;
          }
          call.record = record;
        }
      }
      return true;
    });
  }

  /** Forgets finished calls (long soak runs). */
  void forget(List<Call> batch) {
    batch.forEach(c -> calls.remove(c.id));
  }
}
