package dev.wavoice.testkit.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.OpenAiRealtimeDouble;
import dev.wavoice.testkit.whatsapp.WebhookSender;
import dev.wavoice.testkit.whatsapp.WhatsAppCloudDouble;
import java.time.Duration;
import java.util.function.Consumer;

/** A WhatsApp user's call coming in through Meta's doubles, up to the point a test starts from. */
public final class IncomingCalls {

  private static final String CONNECT = "webhook-connect-user-initiated.json";

  private IncomingCalls() {}

  /** Meta's connect webhook for {@code callId} (answered 200), then wavoice's {@code accept} of it at Meta. */
  public static void connectAndAwaitAccept(WebhookSender meta, WhatsAppCloudDouble whatsapp, String callId, Duration wait) {
    assertThat(meta.send(Fixtures.withCallId(CONNECT, callId)).statusCode()).isEqualTo(200);
    Await.until(wait, "accept of " + callId, () -> whatsapp.acceptedActions(callId).contains("accept"));
  }

  /**
   * A call up with its first OpenAI session, set up by {@code setup} before it opens (turn detection off:
   * the caller's steady tone is no speech, the test says when the caller speaks); returns once the
   * caller's audio reaches OpenAI.
   */
  public static DoubleSession answered(WebhookSender meta, WhatsAppCloudDouble whatsapp, OpenAiRealtimeDouble openai,
      String callId, Consumer<DoubleSession> setup, Duration wait) {
    int before = openai.sessions().size();
    openai.configureNextSession(s -> setup.accept(s.autoVad(false)));
    connectAndAwaitAccept(meta, whatsapp, callId, wait);
    DoubleSession session = openai.awaitSession(before, wait);
    Await.until(wait, "caller audio at OpenAI", () -> session.inputAudioBytes() > 0);
    return session;
  }
}
