package dev.wavoice.call;

import dev.wavoice.bridge.BridgeFactory;
import dev.wavoice.media.MediaGateway;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every call core needs, whatever its channel: media, the bridge, its slot, its limits, where it
 * publishes its life, the time, and the threads its steps and timers run on.
 */
record CallServices(
    MediaGateway media,
    BridgeFactory bridges,
    CallRegistry registry,
    CallSettings settings,
    CallEventPublisher events,
    Clock clock,
    Executor executor,
    ScheduledExecutorService scheduler) {}
