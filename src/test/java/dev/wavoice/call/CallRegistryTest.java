package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.CallId;
import org.junit.jupiter.api.Test;

/** The registry's admission and its memory of terminated ids (no call is admitted here, so none is built). */
class CallRegistryTest {

  private static final ActiveCall CALL = null;

  @Test
  void aConnectWhoseIdWasTerminatedIsNotAdmitted() {
    CallRegistry registry = new CallRegistry();
    CallId early = new CallId("wacid.early");
    assertThat(registry.terminated(early)).isEmpty();
    assertThat(registry.wasTerminated(early)).isTrue();
    assertThat(registry.admit(early, CALL, 10)).isEqualTo(CallRegistry.Admission.TERMINATED);
    assertThat(registry.count()).isZero();
    assertThat(registry.terminated(early)).as("a second terminate is harmless").isEmpty();
  }

  @Test
  void aTerminatedIdIsRefusedBeforeCapacityIsLookedAt() {
    CallRegistry registry = new CallRegistry();
    CallId early = new CallId("wacid.early");
    registry.terminated(early);
    assertThat(registry.admit(early, CALL, 0)).isEqualTo(CallRegistry.Admission.TERMINATED);
    assertThat(registry.admit(new CallId("wacid.other"), CALL, 0)).isEqualTo(CallRegistry.Admission.FULL);
  }

  @Test
  void theMemoryOfTerminatedIdsIsBoundedOldestFirst() {
    CallRegistry registry = new CallRegistry();
    for (int i = 0; i <= CallRegistry.TERMINATED_REMEMBERED; i++) {
      registry.terminated(new CallId("wacid." + i));
    }
    assertThat(registry.wasTerminated(new CallId("wacid.0"))).isFalse();
    assertThat(registry.wasTerminated(new CallId("wacid.1"))).isTrue();
    assertThat(registry.wasTerminated(new CallId("wacid." + CallRegistry.TERMINATED_REMEMBERED))).isTrue();
  }
}
