package dev.wavoice.testkit.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.WallClock;
import dev.wavoice.testkit.app.RealKmsStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.audio.Tones;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.Turn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The load caller's correctness, on a few calls: one {@code whatsapp-peer} process runs three
 * WhatsApp-shaped peers, each a whole call through the app and the real Kurento. Each peer is ICE-lite
 * (only Kurento checks and nominates), connects DTLS, speaks in turns (tone, then silence: both reach
 * OpenAI) and hears its own call's agent — each call's agent speaks at its own pitch, so a peer hearing
 * another call's audio would show.
 */
@Tag("real-kms")
@ExtendWith(Stacks.class)
class WhatsAppPeersIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PEERS = 3;
  private static final int CALLER_TONE_HZ = 440;
  private static final int[] AGENT_TONE_HZ = {560, 700, 880};
  private static final int TALK_MS = 1000;
  private static final int PAUSE_MS = 1000;
  private static final int CALL_SECONDS = 10;

  private static RealKmsStack stack;

  @BeforeAll
  static void start(RealKmsStack real) {
    stack = real;
  }

  @AfterEach
  void noProtocolViolations() {
    stack.openai.assertNoViolations();
  }

  @Test
  void eachPeerOfOneProcessMakesAWholeCallOfItsOwnSpeakingInTurns() {
    long started = WallClock.nanos();
    WebhookSender meta = stack.webhooks();
    List<String> callIds = new ArrayList<>();
    List<DoubleSession> sessions = new ArrayList<>();
    try (WhatsAppPeers peers = WhatsAppPeers.offering(PEERS, CALL_SECONDS, CALLER_TONE_HZ, TALK_MS, PAUSE_MS)) {
      for (int i = 0; i < PEERS; i++) {
        String callId = "wacid.MP" + i + UUID.randomUUID().toString().replace("-", "");
        callIds.add(callId);
        int sessionsBefore = stack.openai.sessions().size();
        int agentHz = AGENT_TONE_HZ[i];
        stack.openai.configureNextSession(s -> s.autoVad(false).enqueue(Turn.of().audio(4000, agentHz, "Hello.")));
        String offer = peers.awaitOffer(i);
        assertThat(WhatsAppOfferChecks.check(offer)).as(offer).isEmpty();
        assertThat(meta.send(Fixtures.connectWithOffer(callId, offer)).statusCode()).isEqualTo(200);
        GraphRequest preAccept = Await.value(WAIT, "pre_accept of call " + i, () -> stack.whatsapp.callActions(callId).stream()
            .filter(r -> "pre_accept".equals(r.action())).findFirst().orElse(null));
        peers.answer(i, preAccept.sdp());
        sessions.add(stack.openai.awaitSession(sessionsBefore, WAIT));
      }
      for (int i = 0; i < PEERS; i++) {
        String callId = callIds.get(i);
        DoubleSession session = sessions.get(i);
        Await.until(WAIT, "accept of call " + callId, () -> stack.whatsapp.acceptedActions(callId).contains("accept"));
        // a turn and a pause at least: 2.5 s of the caller at OpenAI
        Await.until(WAIT, "the caller's turns at OpenAI, call " + i, () -> session.inputAudioBytes() >= 20_000);
        session.speechStarted();
        session.speechStopped();
      }
      for (int i = 0; i < PEERS; i++) {
        byte[] heard = sessions.get(i).inputAudio(); // audio/pcmu
        int loud = 0;
        int quiet = 0;
        double callerTone = 0;
        double otherPitches = 0;
        for (int at = 0; at + 800 <= heard.length; at += 800) { // 100 ms windows
          short[] window = Tones.fromMulaw(heard, at, 800);
          double dbfs = Tones.rmsDbfs(window);
          if (dbfs > -35) { // talk (a window at a turn's edge holds an onset too: judged over all of them)
            loud++;
            callerTone += Tones.power(window, CALLER_TONE_HZ, 8_000);
            double strongest = 0;
            for (int agentHz : AGENT_TONE_HZ) {
              strongest = Math.max(strongest, Tones.power(window, agentHz, 8_000));
            }
            otherPitches += strongest;
          }
          quiet += dbfs < -50 ? 1 : 0;
        }
        assertThat(callerTone).as("call %d: the caller's tone, 20 dB over any agent's pitch", i).isGreaterThan(100 * otherPitches);
        assertThat(loud).as("call %d: the caller's talk reached OpenAI", i).isGreaterThanOrEqualTo(5);
        assertThat(quiet).as("call %d: and its pauses", i).isGreaterThanOrEqualTo(5);
      }

      Map<Integer, WhatsAppPeer.Report> reports = peers.awaitReports(Duration.ofSeconds(CALL_SECONDS + 40));
      assertThat(reports).as(peers.log()).containsOnlyKeys(0, 1, 2);
      for (int i = 0; i < PEERS; i++) {
        WhatsAppPeer.Report report = reports.get(i);
        assertThat(report.bindingRequestsSent()).as("ICE-lite: " + report.raw()).isZero();
        assertThat(report.remoteControlling()).as(report.raw()).isTrue();
        assertThat(report.remoteNominated()).as(report.raw()).isTrue();
        assertThat(report.dtlsConnected()).as(report.raw()).isTrue();
        assertThat(report.sentPackets()).as(report.raw()).isGreaterThan(100);
        assertThat(report.heardAudioMs()).as(report.raw()).isGreaterThan((CALL_SECONDS - 3) * 1000L);
        assertThat(report.dominantHz()).as("peer %d hears its own call's agent: %s", i, report.raw())
            .isCloseTo((double) AGENT_TONE_HZ[i], Offset.offset(25.0));
        assertThat(report.exitCode()).as(peers.log()).isZero();
      }
      // the times latency runs pair, all on this machine's wall clock within this test: the peer's talk turns
      // after a pause (talk 1 s, pause 1 s over 10 s), its packets' arrivals, where the caller's sound began at
      // OpenAI (at the caller's pitch, inside the append that carried it) and each response's first delta
      long ended = WallClock.nanos();
      for (int i = 0; i < PEERS; i++) {
        List<Long> turns = WhatsAppPeers.talkOnsets(Fixtures.parse(reports.get(i).raw()));
        assertThat(turns).as(reports.get(i).raw()).hasSizeGreaterThanOrEqualTo(3).doesNotHaveDuplicates().isSorted()
            .allSatisfy(t -> assertThat(t).isBetween(started, ended));
        long[] arrivals = PeerAudio.read(peers.heardFile(i), 111).arrivalNanos();
        assertThat(arrivals).hasSizeGreaterThan(100).isSorted();
        assertThat(arrivals[0]).isBetween(started, ended);
        assertThat(arrivals[arrivals.length - 1]).isBetween(started, ended);
        DoubleSession session = sessions.get(i);
        assertThat(session.callerOnsets()).as("call %d", i).isNotEmpty().allSatisfy(onset -> {
          assertThat(onset.chunkArrivalNanos()).isBetween(started, ended);
          assertThat(onset.offsetNanos()).isNotNegative().isLessThan(onset.chunkNanos());
          assertThat(onset.hz()).isCloseTo((double) CALLER_TONE_HZ, Offset.offset(20.0));
        });
        assertThat(session.responseAudioStarts()).as("call %d", i).isNotEmpty().isSorted()
            .allSatisfy(t -> assertThat(t).isBetween(started, ended));
      }
    }
    for (String callId : callIds) {
      assertThat(meta.send(Fixtures.withCallId("webhook-terminate-completed.json", callId)).statusCode()).isEqualTo(200);
    }
    for (String callId : callIds) {
      Await.until(WAIT, "the end of call " + callId, () -> {
        var r = stack.admin().get("/api/calls/" + callId);
        return r.statusCode() == 200 && "REMOTE_TERMINATE".equals(Fixtures.parse(r.body()).getString("endReason", ""));
      });
    }
  }

}
