package dev.wavoice;

import jakarta.enterprise.concurrent.ManagedExecutorDefinition;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorDefinition;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The application's own executors, defined here and looked up by name ({@code @Resource(lookup = …)}).
 * Payara's default managed executor has no core threads and an unbounded queue, so it runs one task at
 * a time (its default scheduled executor likewise): every call's set-up (blocking Kurento, Graph and
 * database requests), every webhook event and every console write would wait for the one before.
 * {@link #WORK} runs each task on a virtual thread of its own, so a blocked task holds up no other;
 * {@link #TIMERS} fires timers (deadlines, pings, heartbeats), whose work also blocks at times.
 */
@ManagedExecutorDefinition(name = AppExecutors.WORK, virtual = true)
@ManagedScheduledExecutorDefinition(name = AppExecutors.TIMERS, virtual = true)
@ApplicationScoped
public class AppExecutors {

  /** Calls, webhook events, the doctor's checks, console writes. */
  public static final String WORK = "java:app/concurrent/wavoice-work";
  /** Timers of calls, Kurento links, the doctor and the console. */
  public static final String TIMERS = "java:app/concurrent/wavoice-timers";
}
