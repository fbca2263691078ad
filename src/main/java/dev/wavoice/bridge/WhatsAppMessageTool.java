package dev.wavoice.bridge;

import dev.wavoice.realtime.RealtimeWire.FunctionTool;
import dev.wavoice.realtime.ToolHandler;
import dev.wavoice.whatsapp.GraphApi;
import dev.wavoice.whatsapp.GraphApiException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * {@code send_whatsapp_message}: texts the caller of a WhatsApp call through the Graph API, e.g. a link
 * or a reference number that is hard to take down from speech. One per call, bound to its caller.
 */
public final class WhatsAppMessageTool implements ToolHandler {

  static final String NAME = "send_whatsapp_message";
  /** Meta's limit on a text message's body. */
  private static final int MAX_TEXT_CHARS = 4096;
  private static final Logger LOG = Logger.getLogger(WhatsAppMessageTool.class.getName());
  private static final FunctionTool DECLARATION = FunctionTool.ofText(
      NAME,
      "Send a WhatsApp text message to the caller, e.g. a link, an address or a reference number that is"
          + " hard to remember from speech. Tell the caller you are sending it.",
      "text", "The message text, at most " + MAX_TEXT_CHARS + " characters.", true);

  private final GraphApi graph;
  private final String callerWaId;
  private final String label;

  public WhatsAppMessageTool(GraphApi graph, String callerWaId, String label) {
    this.graph = Objects.requireNonNull(graph, "graph");
    this.callerWaId = Objects.requireNonNull(callerWaId, "callerWaId");
    this.label = label;
  }

  @Override
  public FunctionTool declaration() {
    return DECLARATION;
  }

  @Override
  public Outcome run(JsonObject arguments) {
    if (!(arguments.get("text") instanceof JsonString text) || text.getString().isBlank()) {
      return Outcome.failed("'text' is required and must be a non-empty string");
    }
    if (text.getString().length() > MAX_TEXT_CHARS) {
      return Outcome.failed("'text' is longer than " + MAX_TEXT_CHARS + " characters");
    }
    try {
      String messageId = graph.sendText(callerWaId, text.getString());
      var output = Json.createObjectBuilder().add("status", "sent");
      if (messageId != null) {
        output.add("message_id", messageId);
      }
      return Outcome.done(output.build());
    } catch (GraphApiException e) {
      LOG.info(() -> NAME + " of " + label + " failed: " + e.getMessage());
      return Outcome.failed("WhatsApp did not take the message: " + e.getMessage());
    }
  }
}
