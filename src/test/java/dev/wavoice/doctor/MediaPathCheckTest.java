package dev.wavoice.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.call.CallRecord;
import dev.wavoice.call.CallUsage;
import dev.wavoice.call.EndReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The media-path check on call records as the call flow writes them (newest first, as the store returns them). */
class MediaPathCheckTest {

  static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  static int sequence;

  /** A WhatsApp call record started after the previous one, shaped by {@code life}. */
  static CallRecord call(String id, Consumer<CallRecord> life) {
    return call(id, "whatsapp", life);
  }

  static CallRecord call(String id, String channel, Consumer<CallRecord> life) {
    CallRecord record = new CallRecord(id, channel, "INBOUND", "13175550000", "13175551399", null, "opus",
        T0.plusSeconds(60L * ++sequence));
    life.accept(record);
    return record;
  }

  /** Answered, bot audio went out, 42 s of talk, then ended for this reason. */
  static void talked(CallRecord r, EndReason reason) {
    r.preAccepted(r.startedAt().plusMillis(300));
    r.accepted(r.startedAt().plusSeconds(1), true);
    r.firstBotAudio(r.startedAt().plusMillis(1400));
    end(r, reason, null);
  }

  static void end(CallRecord r, EndReason reason, String detail) {
    r.ended(r.startedAt().plusSeconds(43), reason, detail, CallUsage.NONE, List.of(), 0);
  }

  static DoctorCheck judge(CallRecord... newestFirst) {
    return MediaPathCheck.judge(ReadOutcome.of(List.of(newestFirst)));
  }

  @Test
  void unknownBeforeAnyWhatsAppCallHasEnded() {
    DoctorCheck none = judge();
    assertThat(none.status()).isEqualTo(CheckStatus.UNKNOWN);
    assertThat(none.fix()).contains("Call the number from WhatsApp");

    CallRecord live = call("wacid.LIVE", r -> r.accepted(r.startedAt(), true));
    CallRecord softphone = call("soft.1", "softphone", r -> talked(r, EndReason.OPERATOR_HANGUP));
    assertThat(judge(softphone, live).status()).as("a live call and a softphone call say nothing yet").isEqualTo(CheckStatus.UNKNOWN);
  }

  @Test
  void callsThatNeverReachedMediaArePassedOver() {
    CallRecord closed = call("wacid.HOURS", r -> end(r, EndReason.OUTSIDE_HOURS, "closed"));
    DoctorCheck onlyRefused = judge(closed);
    assertThat(onlyRefused.status()).isEqualTo(CheckStatus.UNKNOWN);
    assertThat(onlyRefused.summary()).contains("none of the last 1 WhatsApp calls got as far as media").contains("OUTSIDE_HOURS");

    CallRecord good = call("wacid.GOOD", r -> talked(r, EndReason.REMOTE_TERMINATE));
    CallRecord busy = call("wacid.BUSY", r -> end(r, EndReason.OVER_CAPACITY, "full"));
    DoctorCheck check = judge(busy, good, closed);
    assertThat(check.status()).isEqualTo(CheckStatus.PASS);
    assertThat(check.summary()).contains("wacid.GOOD").contains("audio both ways").contains("42 s of talk");
  }

  @Test
  void a138021TerminateFailsWithTheNetworkFix() {
    CallRecord mute = call("wacid.MUTE", r -> {
      talked(r, EndReason.REMOTE_TERMINATE);
      r.metaError(138021, null, "WhatsApp client terminated the call due to not receiving any media for a long time.");
    });
    DoctorCheck check = judge(mute);
    assertThat(check.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(check.summary()).contains("wacid.MUTE").contains("WhatsApp ended it with 138021")
        .contains("not receiving any media");
    assertThat(check.fix()).contains("UDP port range").contains("KMS_EXTERNAL_IPV4").contains("KMS_STUN_IP").contains("KMS_STUN_PORT")
        .contains("externalIPv4").contains("stunServerAddress").contains("KMS_MIN_PORT").contains("WebRtcEndpoint.conf.ini");
  }

  @Test
  void wavoicesOwnMediaEndsFailToo() {
    List<CallRecord> calls = new ArrayList<>();
    calls.add(call("wacid.TIMEOUT", r -> end(r, EndReason.MEDIA_TIMEOUT, "media did not connect in time")));
    calls.add(call("wacid.INACTIVE", r -> talked(r, EndReason.MEDIA_INACTIVE)));
    calls.add(call("wacid.ICE", r -> end(r, EndReason.MEDIA_FAILED, "ICE_FAILED: ICE failed on the WebRTC leg")));
    for (CallRecord call : calls) {
      DoctorCheck check = judge(call);
      assertThat(check.status()).as(call.callId()).isEqualTo(CheckStatus.FAIL);
      assertThat(check.fix()).as(call.callId()).isEqualTo(MediaPathCheck.NETWORK_FIX);
    }
    assertThat(judge(calls.get(0)).summary()).contains("MEDIA_TIMEOUT");
    assertThat(judge(calls.get(1)).summary()).contains("no audio arrived from the caller");
    assertThat(judge(calls.get(2)).summary()).contains("ICE with WhatsApp failed").contains("ICE_FAILED");

    // a Kurento error is not the network's fault: passed over
    CallRecord kmsError = call("wacid.KMS", r -> end(r, EndReason.MEDIA_FAILED, "KMS_ERROR: pipeline error"));
    assertThat(judge(kmsError).status()).isEqualTo(CheckStatus.UNKNOWN);
  }

  @Test
  void metaRefusingTheAnswerShowsItsDetails() {
    CallRecord refused = call("wacid.SDP", r -> {
      r.metaError(138008, null, "Provided SDP is invalid: a=setup must be active");
      end(r, EndReason.GRAPH_ERROR, "INVALID_PARAMETER: calls/pre_accept refused");
    });
    DoctorCheck check = judge(refused);
    assertThat(check.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(check.summary()).contains("Meta refused the SDP answer").contains("138008: Provided SDP is invalid: a=setup must be active");
    assertThat(check.fix()).contains("a=fingerprint:sha-256");

    CallRecord weak = call("wacid.SHA1", r -> {
      r.metaError(100, 2494010L, "Only SHA-256 fingerprints are supported");
      end(r, EndReason.GRAPH_ERROR, "INVALID_PARAMETER");
    });
    assertThat(judge(weak).summary()).contains("100/2494010: Only SHA-256 fingerprints are supported");

    // another Graph refusal (a missing prerequisite) is the other checks' business
    CallRecord notEnabled = call("wacid.138000", r -> {
      r.metaError(138000, null, "Calling is not enabled for this phone number");
      end(r, EndReason.GRAPH_ERROR, "NOT_ENABLED");
    });
    assertThat(judge(notEnabled).status()).isEqualTo(CheckStatus.UNKNOWN);
  }

  @Test
  void theLastCallThatReachedMediaDecidesAndRecentLikeOnesAreCounted() {
    CallRecord bad1 = call("wacid.B1", r -> end(r, EndReason.MEDIA_TIMEOUT, "media did not connect in time"));
    CallRecord bad2 = call("wacid.B2", r -> end(r, EndReason.MEDIA_TIMEOUT, "media did not connect in time"));
    CallRecord good = call("wacid.G", r -> talked(r, EndReason.AGENT_ENDED));
    assertThat(judge(good, bad2, bad1).status()).as("mended since").isEqualTo(CheckStatus.PASS);

    CallRecord bad3 = call("wacid.B3", r -> end(r, EndReason.MEDIA_TIMEOUT, "media did not connect in time"));
    DoctorCheck check = judge(bad3, good, bad2, bad1);
    assertThat(check.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(check.summary()).contains("wacid.B3").contains("3 of the last 4 WhatsApp calls ended so");
  }

  @Test
  void anUnreadableStoreIsUnknown() {
    DoctorCheck check = MediaPathCheck.judge(ReadOutcome.failed("reading the call records failed: connection refused", null));
    assertThat(check.status()).isEqualTo(CheckStatus.UNKNOWN);
    assertThat(check.summary()).contains("connection refused");
  }
}
