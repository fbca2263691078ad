package dev.wavoice.audio;

/** A call's audio counters: receive path, send path and RTCP. */
public record CallAudioStats(InboundStats inbound, OutboundStats outbound, RtcpStats rtcp) {}
