package dev.wavoice.doctor;

import dev.wavoice.call.CallRecord;
import dev.wavoice.call.EndReason;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The doctor's check {@code media-path}, read from the records of the last WhatsApp calls (nothing is
 * sent anywhere). A call says something about the media path when it got as far as media: it PASSes
 * when the last such call was accepted, bot audio went out, and it did not end for lack of media —
 * WhatsApp ends a call whose user hears nothing 20 s after {@code accept} (138021), and wavoice ends one
 * whose caller sends nothing ({@code MEDIA_INACTIVE}), so a call that ended otherwise had media both
 * ways. It FAILs with the fix when that call ended for lack of media (Meta's 138021-138023,
 * {@code MEDIA_TIMEOUT}, {@code MEDIA_INACTIVE}, ICE failure) or Meta refused our SDP (138008,
 * subcode 2494010). Calls refused for other reasons (hours, capacity, OpenAI) are passed over.
 */
final class MediaPathCheck {

  /** How many of the latest records are looked at. */
  static final int LOOK_BACK = 20;

  /** Meta's codes for a call whose media did not reach the user or came from nowhere (terminate webhook). */
  static final Set<Long> NO_MEDIA_CODES = Set.of(138021L, 138022L, 138023L);
  static final long SDP_VALIDATION = 138008L;
  static final long FINGERPRINT_SUBCODE = 2494010L;

  static final String NETWORK_FIX = "Media between WhatsApp's relays and Kurento did not flow. Make Kurento's UDP port range "
      + "(KMS_MIN_PORT-KMS_MAX_PORT in .env with docker compose, 40000-40999 by default; minPort-maxPort in Kurento's "
      + "BaseRtpEndpoint.conf.ini otherwise) reachable from the internet, inbound and "
      + "outbound (firewall, cloud security group, port mapping of the kms container), and give Kurento the public address "
      + "WhatsApp must reach: with docker compose set KMS_EXTERNAL_IPV4 (or KMS_STUN_IP and KMS_STUN_PORT) in .env; otherwise "
      + "externalIPv4 (or stunServerAddress and stunServerPort) in Kurento's WebRtcEndpoint.conf.ini. Restart Kurento and call "
      + "again.";

  static final String SDP_FIX = "Meta refused wavoice's SDP answer. The answer must be a=setup:active, with one "
      + "a=fingerprint:sha-256, Opus at the offer's payload type and the offer's a=mid; check that Kurento is the version "
      + "docs/media.md names and that nothing between wavoice and Meta rewrites the SDP, and report Meta's details shown here.";

  private MediaPathCheck() {}

  /** What one ended call says about the media path. */
  enum Verdict { MEDIA_BOTH_WAYS, NO_MEDIA, SDP_REFUSED, SILENT }

  static DoctorCheck judge(ReadOutcome<List<CallRecord>> read) {
    String id = Doctor.MEDIA_PATH;
    if (!read.ok()) {
      return DoctorCheck.unknown(id, "the call records could not be read: " + read.problem(),
          "Check the call record database (readiness check database, wavoice.db.*).");
    }
    List<CallRecord> calls = read.value().stream()
        .filter(r -> "whatsapp".equals(r.channel()) && r.endedAt() != null)
        .limit(LOOK_BACK)
        .toList();
    if (calls.isEmpty()) {
      return DoctorCheck.unknown(id, "no WhatsApp call has ended yet, so the media path is untried",
          "Call the number from WhatsApp, then ask the doctor again.");
    }
    Optional<CallRecord> last = calls.stream().filter(r -> verdict(r) != Verdict.SILENT).findFirst();
    if (last.isEmpty()) {
      return DoctorCheck.unknown(id, "none of the last " + calls.size() + " WhatsApp calls got as far as media (the latest ended "
          + calls.get(0).endReason() + ")", "Call the number from WhatsApp within business hours and let the call be answered.");
    }
    CallRecord call = last.get();
    long alike = calls.stream().filter(r -> verdict(r) == verdict(call)).count();
    String recent = alike > 1 ? " (" + alike + " of the last " + calls.size() + " WhatsApp calls ended so)" : "";
    return switch (verdict(call)) {
      case MEDIA_BOTH_WAYS -> DoctorCheck.pass(id, "the last WhatsApp call that reached media (" + call.callId() + ", "
          + call.endedAt() + ") had audio both ways: accepted, bot audio sent, "
          + (call.talkTime() == null ? "" : call.talkTime().toSeconds() + " s of talk, ") + "ended " + call.endReason());
      case NO_MEDIA -> DoctorCheck.fail(id, "the last WhatsApp call that reached media (" + call.callId() + ", " + call.endedAt()
          + ") ended for lack of media: " + noMediaCause(call) + recent, NETWORK_FIX);
      case SDP_REFUSED -> DoctorCheck.fail(id, "Meta refused the SDP answer of the last WhatsApp call (" + call.callId() + ", "
          + call.endedAt() + "): " + metaError(call) + recent, SDP_FIX);
      case SILENT -> throw new IllegalStateException("filtered out above");
    };
  }

  static Verdict verdict(CallRecord call) {
    Long code = call.metaErrorCode();
    if (code != null && (code == SDP_VALIDATION
        || (call.metaErrorSubcode() != null && call.metaErrorSubcode() == FINGERPRINT_SUBCODE))) {
      return Verdict.SDP_REFUSED;
    }
    if (code != null && NO_MEDIA_CODES.contains(code)) {
      return Verdict.NO_MEDIA;
    }
    EndReason reason = call.endReason();
    if (reason == EndReason.MEDIA_TIMEOUT || reason == EndReason.MEDIA_INACTIVE
        || (reason == EndReason.MEDIA_FAILED && call.endDetail() != null && call.endDetail().startsWith("ICE_FAILED"))) {
      return Verdict.NO_MEDIA;
    }
    if (call.acceptedAt() != null && call.firstBotAudioAt() != null) {
      return Verdict.MEDIA_BOTH_WAYS;
    }
    return Verdict.SILENT;
  }

  private static String noMediaCause(CallRecord call) {
    if (call.metaErrorCode() != null && NO_MEDIA_CODES.contains(call.metaErrorCode())) {
      return "WhatsApp ended it with " + metaError(call);
    }
    return switch (call.endReason()) {
      case MEDIA_TIMEOUT -> "ICE and DTLS with WhatsApp did not connect in time (MEDIA_TIMEOUT)";
      case MEDIA_INACTIVE -> "no audio arrived from the caller (MEDIA_INACTIVE)";
      default -> "ICE with WhatsApp failed (" + call.endDetail() + ")";
    };
  }

  private static String metaError(CallRecord call) {
    return call.metaErrorCode() + (call.metaErrorSubcode() == null ? "" : "/" + call.metaErrorSubcode())
        + (call.metaErrorDetails() == null ? "" : ": " + call.metaErrorDetails());
  }
}
