package dev.wavoice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.audio.AudioCodec;
import dev.wavoice.testkit.Await;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole-stack load run in small ({@link CallLoadBenchmark}'s harness: the real WAR, the KMS and
 * OpenAI doubles in their own JVMs): a few concurrent calls, each greeted, talked to and ended by Meta.
 * Checks correctness only, never timings: every call completed, the bot's audio reached every caller,
 * and afterwards no pipeline, live call, socket or thread is left over.
 */
@Tag("load")
class CallLoadIT {

  private static final int CALLS = 3;
  private static final int WARMUP_CALLS = 3;
  private static final Duration TALK = Duration.ofSeconds(6);

  @ParameterizedTest
  @EnumSource(AudioCodec.class)
  void concurrentCallsCompleteAndLeaveNothingBehind(AudioCodec codec) throws Exception {
    try (LoadStack stack = LoadStack.start("load-it-" + codec.name().toLowerCase(), codec, CallLoadBenchmark.CALLER,
        CallLoadBenchmark.ANSWER, CALLS + WARMUP_CALLS, CallLoadBenchmark.APP_JVM)) {
      CallDriver driver = new CallDriver(stack);
      CallLoadBenchmark.warmUp(stack, driver, WARMUP_CALLS, 0, 0);
      List<String> socketList = stack.appSocketList();
      long sockets = socketList.size();
      long threads = stack.appThreads();
      List<String> threadNames = stack.appThreadNames();

      List<CallDriver.Call> calls = driver.connect(CALLS, 50);
      assertThat(calls).allSatisfy(c -> assertThat(c.ackStatus).isEqualTo(200));
      driver.awaitAccepted(calls, CallLoadBenchmark.SETUP_DEADLINE);
      Await.until(CallLoadBenchmark.SETUP_DEADLINE, "the greeting heard in every call", () -> {
        driver.collectFirstBotAudio();
        return calls.stream().allMatch(c -> c.firstBotAudioNanos != 0);
      });
      stack.kmsReset();
      // the callers talk and the agent answers for a while; then Meta ends the calls
      long talkEnd = System.nanoTime() + TALK.toNanos();
      Await.until(TALK.plusSeconds(30), "bot turns and the talking time to pass", () -> System.nanoTime() > talkEnd
          && stack.kmsStats().get("turns") >= CALLS);
      driver.terminate(calls);
      driver.awaitRecords(calls, CallLoadBenchmark.END_DEADLINE);

      assertThat(calls).allSatisfy(c -> {
        assertThat(c.record.getString("outcome")).as(c.id).isEqualTo("COMPLETED");
        assertThat(c.record.getString("endReason")).as(c.id).isEqualTo("REMOTE_TERMINATE");
      });
      CallLoadBenchmark.Leaks leaks = CallLoadBenchmark.leaks(stack, sockets, threads);
      assertThat(leaks.pipelines()).as("pipelines left on Kurento").isZero();
      assertThat(leaks.liveCalls()).as("live calls left").isZero();
      assertThat(leaks.socketsAfter()).as("app sockets; before the calls: " + socketList + ", now: " + stack.appSocketList())
          .isLessThanOrEqualTo(sockets);
      // a thread count may stay above the baseline for a while: idle workers of cached pools end by
      // themselves; any other thread that was not there before the calls is a leak
      List<String> added = new java.util.ArrayList<>(stack.appThreadNames());
      threadNames.forEach(added::remove);
      added.removeIf(CallLoadIT::cachedPoolWorker);
      assertThat(added).as("app threads not there before the calls (%d threads before, %d after)", threads, leaks.threadsAfter())
          .isEmpty();
      // the strict doubles saw nothing the real services would refuse
      stack.whatsapp.assertNoViolations();
      assertThat(stack.openai.violations()).as("OpenAI double's protocol violations").isEmpty();
      assertThat(stack.kmsViolations()).as("KMS double's protocol violations").isEmpty();
    }
  }

  /**
   * Workers of kurento-client's event executor, of Payara's Hazelcast cached executor and of the JDK
   * HttpClient's default executor: cached pools whose idle threads end (a leaked client would show its
   * own {@code SelectorManager} thread, which is still counted).
   */
  private static boolean cachedPoolWorker(String threadName) {
    return threadName.startsWith("AbstractJsonRpcClientWebSocket-reqResEventExec-") || threadName.matches("hz\\..*\\.cached\\.thread-\\d+")
        || threadName.matches("HttpClient-\\d+-Worker-\\d+");
  }
}
