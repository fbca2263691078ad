package dev.wavoice.testprobe;

import dev.wavoice.whatsapp.CallPermissionReplyReceived;
import dev.wavoice.whatsapp.CallStatusReceived;
import dev.wavoice.whatsapp.CallWebhookReceived;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test-only CDI observer: keeps every webhook event the app fired, as JSON, in arrival order. */
@ApplicationScoped
public class DispatchRecorder {

  /** One observed event: its record type and its JSON. */
  public record Recorded(String kind, String json) {}

  private final List<Recorded> events = new CopyOnWriteArrayList<>();

  @Inject Jsonb jsonb;

  void onCall(@ObservesAsync CallWebhookReceived event) {
    events.add(new Recorded("call", jsonb.toJson(event)));
  }

  void onStatus(@ObservesAsync CallStatusReceived event) {
    events.add(new Recorded("status", jsonb.toJson(event)));
  }

  void onPermissionReply(@ObservesAsync CallPermissionReplyReceived event) {
    events.add(new Recorded("permission_reply", jsonb.toJson(event)));
  }

  public List<Recorded> events() {
    return List.copyOf(events);
  }
}
