package dev.wavoice.cluster;

import dev.wavoice.call.CallView;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.time.Instant;

/**
 * What members keep in the grid and send each other, as JSON text: the grid then holds only strings,
 * so no class of the WAR has to be loaded by the grid's own class loader, and members of different
 * builds still read each other.
 */
public final class GridMessages {

  /** Map of live calls: call id → {@link LiveCall}. */
  static final String LIVE_CALLS = "wavoice-live-calls";
  /** Map of members: member id → the member's instance tag. */
  static final String MEMBERS = "wavoice-members";
  /** Map of webhook delivery keys seen by any member, each kept for the de-duplication window. */
  static final String DELIVERIES = "wavoice-deliveries";
  /** Topic of {@link HandOff}s. */
  static final String HAND_OFFS = "wavoice-hand-offs";
  /** Topic of {@link Relayed} live events. */
  static final String LIVE_EVENTS = "wavoice-live-events";
  /** {@link HandOff#to()} for every member. */
  static final String EVERYONE = "*";

  /** A live call: the member that holds it, that member's instance tag, the call as operators see it. */
  public record LiveCall(String owner, String instance, CallView view) {}

  /**
   * Work for another member: {@code kind} {@code call}, {@code status} or {@code permission} (a webhook
   * event, {@code body} its JSON) or {@code hangup} (an operator's hang-up of {@code callId}).
   */
  public record HandOff(String from, String to, String kind, String callId, String body) {}

  /** A live event of one member's call, for the consoles watching the other members. */
  public record Relayed(String from, String callId, String kind, String state, String speaker, Instant at, String text,
      boolean interrupted) {}

  private static final Jsonb JSON = JsonbBuilder.create();

  static String json(Object value) {
    return JSON.toJson(value);
  }

  static <T> T read(String json, Class<T> type) {
    return JSON.fromJson(json, type);
  }

  private GridMessages() {}
}
