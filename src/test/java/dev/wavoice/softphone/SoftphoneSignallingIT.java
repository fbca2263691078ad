package dev.wavoice.softphone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.RealKmsStack;
import dev.wavoice.testkit.app.Stacks;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The softphone's signalling with bad input, spoken by the JDK's WebSocket client to the WAR on Payara
 * Micro: every refusal is a clear {@code error} message (the socket stays open) or, for the token, a close
 * with 4401 and the reason (1008 when no sign-in comes in time); an SDP Kurento cannot use ends the call with the reason of its record.
 */
@Tag("real-kms")
@ExtendWith(Stacks.class)
class SoftphoneSignallingIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static RealKmsStack stack;

  @BeforeAll
  static void start(RealKmsStack real) {
    stack = real;
  }

  @Test
  void aWrongTokenClosesTheSocketWith4401AndSaysWhy() throws Exception {
    try (Signal signal = Signal.open(stack)) {
      signal.send("{\"type\":\"auth\",\"token\":\"not-the-token\"}");
      JsonObject error = signal.next();
      assertThat(error.getString("type")).isEqualTo("error");
      assertThat(error.getString("message")).isEqualTo("wrong admin token");
      assertThat(signal.closed.get(20, TimeUnit.SECONDS)).isEqualTo("4401 wrong admin token");
    }
  }

  @Test
  void anythingBeforeSigningInIsRefused() throws Exception {
    try (Signal signal = Signal.open(stack)) {
      signal.send("{\"type\":\"offer\",\"sdp\":\"v=0\"}");
      assertThat(signal.next().getString("message")).startsWith("sign in first");
      assertThat(signal.closed.get(20, TimeUnit.SECONDS)).startsWith("4401 sign in first");
    }
  }

  @Test
  void malformedMessagesGetAClearErrorAndTheSocketStaysOpen() throws Exception {
    try (Signal signal = Signal.open(stack)) {
      signal.send("this is not JSON");
      JsonObject notJson = signal.next();
      assertThat(notJson.getString("error")).isEqualTo("bad_message");
      assertThat(notJson.getString("message")).startsWith("not a signalling message");

      signal.send("{\"token\":\"x\"}");
      assertThat(signal.next().getString("message")).isEqualTo("a signalling message needs a type");

      signal.send("{\"type\":\"auth\",\"token\":\"" + RealKmsStack.ADMIN_TOKEN + "\"}");
      assertThat(signal.next().getString("type")).isEqualTo("ready");

      signal.send("{\"type\":\"dance\"}");
      assertThat(signal.next().getString("message")).isEqualTo("unknown message type 'dance'");
      signal.send("{\"type\":\"offer\"}");
      assertThat(signal.next().getString("message")).isEqualTo("offer needs the SDP offer in 'sdp'");
      signal.send("{\"type\":\"candidate\",\"candidate\":{\"sdpMid\":\"0\"}}");
      assertThat(signal.next().getString("message")).startsWith("candidate needs candidate.candidate");
      assertThat(signal.closed).isNotDone();
    }
  }

  @Test
  void aSocketThatDoesNotSignInWithinTenSecondsIsClosedWith1008() throws Exception {
    try (Signal signal = Signal.open(stack)) {
      // the deadline is 10 s: waited once, here
      String closed = signal.closed.get(SoftphoneSignalling.SIGN_IN_TIMEOUT.toSeconds() + 20, TimeUnit.SECONDS);
      assertThat(closed).startsWith("1008 sign in within 10 s");
      assertThat(signal.next().getString("error")).isEqualTo("unauthorized");
    }
  }

  @Test
  void candidatesBeforeTheOfferAreBounded() throws Exception {
    try (Signal signal = Signal.open(stack)) {
      signal.send("{\"type\":\"auth\",\"token\":\"" + RealKmsStack.ADMIN_TOKEN + "\"}");
      assertThat(signal.next().getString("type")).isEqualTo("ready");
      String candidate = "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"candidate:1 1 UDP 2122252543 192.0.2.10 50000 typ host\","
          + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}";
      for (int i = 0; i < SoftphoneSignalling.MAX_EARLY_CANDIDATES; i++) {
        signal.send(candidate);
      }
      assertThat(signal.received).as("candidates within the bound are taken silently").isEmpty();
      signal.send(candidate);
      JsonObject refused = signal.next();
      assertThat(refused.getString("error")).isEqualTo("bad_message");
      assertThat(refused.getString("message")).isEqualTo("more than " + SoftphoneSignalling.MAX_EARLY_CANDIDATES + " candidates before the offer");
      assertThat(signal.closed).isNotDone();
    }
  }

  @Test
  void anOfferKurentoCannotUseEndsTheCallWithTheReason() throws Exception {
    try (Signal signal = Signal.open(stack)) {
      signal.send("{\"type\":\"auth\",\"token\":\"" + RealKmsStack.ADMIN_TOKEN + "\"}");
      assertThat(signal.next().getString("type")).isEqualTo("ready");
      signal.send("{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 1 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n\"}");
      JsonObject call = signal.next();
      assertThat(call.getString("type")).isEqualTo("call");
      JsonObject ended = signal.next();
      assertThat(ended.getString("type")).isEqualTo("ended");
      assertThat(ended.getString("reason")).isEqualTo("MEDIA_SETUP_FAILED");
      assertThat(ended.getString("detail")).startsWith("BAD_SDP");
      assertThat(signal.closed.get(20, TimeUnit.SECONDS)).isEqualTo("1000 call ended");

      // the record is written behind the call (its write queue): wait until its end has landed
      JsonObject record = stack.admin().endedRecord(call.getString("callId"), WAIT);
      assertThat(record.getString("channel")).isEqualTo("softphone");
      assertThat(record.getString("endReason")).isEqualTo("MEDIA_SETUP_FAILED");
    }
  }

  /** One signalling connection: received messages in a queue, the close as "code reason". */
  private static final class Signal implements WebSocket.Listener, AutoCloseable {
    final BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    static Signal open(RealKmsStack stack) {
      Signal signal = new Signal();
      URI uri = URI.create(stack.app.baseUrl().replace("http:", "ws:") + "/softphone/signal");
      signal.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT)
          .buildAsync(uri, signal).join();
      return signal;
    }

    void send(String text) {
      socket.sendText(text, true).join();
    }

    JsonObject next() throws InterruptedException {
      JsonObject message = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(message).as("a signalling message within " + WAIT).isNotNull();
      return message;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received.add(Fixtures.parse(partial.toString()));
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }

    @Override
    public void close() {
      if (!socket.isOutputClosed()) {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
      }
      socket.abort();
    }
  }
}
