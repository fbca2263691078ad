package dev.wavoice.testprobe;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/**
 * Test-only: added to the WAR that integration tests deploy (never to {@code wavoice.war}), so tests can
 * see from outside the JVM what the app dispatched internally.
 */
@ApplicationPath("test-probe")
public class ProbeApplication extends Application {

  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(ProbeResource.class, ProbeErrors.class, RealtimeProbe.class, AudioProbe.class, BridgeProbe.class);
  }
}
