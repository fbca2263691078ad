package dev.wavoice.call;

import java.time.Instant;

/** A live call as the admin API and the console show it. */
public record CallView(
    String callId,
    String channel,
    String direction,
    String state,
    String from,
    String to,
    String callerName,
    String codec,
    Instant startedAt,
    Instant acceptedAt,
    long durationMs) {}
