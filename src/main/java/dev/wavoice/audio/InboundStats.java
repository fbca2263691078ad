package dev.wavoice.audio;

/**
 * Counters of a call's receive path since it started.
 *
 * @param packets datagrams received on the RTP socket
 * @param invalidPackets not RTP version 2, or truncated
 * @param foreignPackets RTP with a payload type other than the leg's codec (dropped)
 * @param packetsInOrder packets passed on in sequence order
 * @param lostPackets sequence numbers given up as lost (their time was filled)
 * @param latePackets packets that arrived after their slot was given up (dropped)
 * @param duplicatePackets packets received twice (dropped)
 * @param resyncs restarts of the stream (sequence or timestamp jumps not treated as loss)
 * @param corruptPayloads payloads the decoder refused (their time was filled)
 * @param concealedMs milliseconds of lost time filled with silence or Opus concealment
 * @param framesDelivered 20 ms frames handed to the sink
 * @param sinkFailures frames the sink threw on
 * @param jitterMicros interarrival jitter (RFC 3550 A.8) of Kurento's stream
 */
public record InboundStats(long packets, long invalidPackets, long foreignPackets, long packetsInOrder,
    long lostPackets, long latePackets, long duplicatePackets, long resyncs, long corruptPayloads,
    long concealedMs, long framesDelivered, long sinkFailures, long jitterMicros) {}
